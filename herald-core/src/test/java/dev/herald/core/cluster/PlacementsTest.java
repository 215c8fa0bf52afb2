package dev.herald.core.cluster;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class PlacementsTest {
    private static final Map<String, Placement> STORED = Map.of(
            "root", new Placement("root", "root", "acme", List.of()),
            "child", new Placement("child", "root", "acme", List.of("root")),
            "grandchild", new Placement("grandchild", "root", "acme", List.of("child", "root")));

    private final List<String> reads = new ArrayList<>();
    private final Placements placements = new Placements(id -> {
        reads.add(id);
        return Optional.ofNullable(STORED.get(id));
    }, 2);

    @Test
    void aPlacementIsReadOnceThenKept() {
        assertThat(placements.of("grandchild")).contains(STORED.get("grandchild"));
        assertThat(placements.of("grandchild")).contains(STORED.get("grandchild"));
        assertThat(reads).containsExactly("grandchild");
    }

    @Test
    void aJobNotFoundIsAskedForAgainSinceItMayBeCreatedNext() {
        assertThat(placements.of("nope")).isEmpty();
        assertThat(placements.of("nope")).isEmpty();
        assertThat(reads).containsExactly("nope", "nope");
    }

    @Test
    void theLeastRecentlyUsedGoesBeyondTheCapacity() {
        placements.of("root");
        placements.of("child");
        placements.of("root");
        placements.of("grandchild");
        placements.of("root");
        placements.of("child");
        assertThat(reads).containsExactly("root", "child", "grandchild", "child");
    }

    @Test
    void aRememberedPlacementNeedsNoReadAndAForgottenOneDoes() {
        placements.remember(STORED.get("child"));
        assertThat(placements.of("child")).contains(STORED.get("child"));
        placements.forget("child");
        placements.of("child");
        assertThat(reads).containsExactly("child");
    }
}
