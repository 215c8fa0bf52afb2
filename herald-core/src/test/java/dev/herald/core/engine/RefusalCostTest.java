package dev.herald.core.engine;

import dev.herald.core.command.NewJob;
import dev.herald.core.engine.EngineTestSupport.FlakyStore;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.port.LocalEventBus;
import dev.herald.core.time.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import static dev.herald.core.engine.EngineTestSupport.T0;
import static dev.herald.core.engine.EngineTestSupport.await;
import static dev.herald.core.engine.EngineTestSupport.refusal;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A read refused as {@code not_found} costs the same whether the id is unknown or names a job the caller may not
 * read (so the time of the answer does not tell them apart): the first refusal of an id takes one store lookup, the
 * later ones none. Counted in store lookups, never in time.
 */
class RefusalCostTest {
    private static final String UNKNOWN = "j_00000000000000000000000000";
    private static final Function<Job, CompletableFuture<Boolean>> ANYONE = j -> CompletableFuture.completedFuture(true);
    private static final Function<Job, CompletableFuture<Boolean>> ONLY_ACME =
            j -> CompletableFuture.completedFuture(j.project().equals("acme"));
    private static final Function<Job, CompletableFuture<Boolean>> NO_ONE = j -> CompletableFuture.completedFuture(false);

    private FlakyStore store;
    private JobEngine engine;

    @BeforeEach
    void setUp() {
        store = new FlakyStore();
        engine = EngineTestSupport.engine(store, new LocalEventBus(), new SettableClock(T0), Duration.ofMillis(20));
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    private String create(String project) {
        return await(engine.create(new NewJob("t", null, project, null, null, null, null, null, null, false,
                JobStatus.RUNNING, 1, null))).job().id();
    }

    private void refused(String id, Function<Job, CompletableFuture<Boolean>> readable) {
        assertThat(refusal(() -> engine.read(id, readable)).code()).isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void anUnknownIdIsLookedUpOnceThenAnsweredFromMemory() {
        int before = store.finds.get();
        refused(UNKNOWN, ANYONE);
        assertThat(store.finds.get() - before).as("the first refusal looks in the store").isEqualTo(1);
        for (int i = 0; i < 5; i++) {
            refused(UNKNOWN, ANYONE);
        }
        assertThat(store.finds.get() - before).as("the later ones do not").isEqualTo(1);
    }

    @Test
    void aJobInMemoryThatTheCallerMayNotReadCostsWhatAnUnknownIdCosts() {
        String other = create("globex");
        int before = store.finds.get();
        refused(other, ONLY_ACME);
        assertThat(store.finds.get() - before).as("the first refusal looks in the store, as for an unknown id")
                .isEqualTo(1);
        for (int i = 0; i < 5; i++) {
            refused(other, ONLY_ACME);
            refused(other, NO_ONE);
        }
        assertThat(store.finds.get() - before).as("the later ones do not").isEqualTo(1);
        // whoever may read it still gets it, from memory, in its newest state
        Job job = await(engine.read(other, ANYONE));
        assertThat(job.id()).isEqualTo(other);
        assertThat(job.project()).isEqualTo("globex");
        assertThat(store.finds.get() - before).isEqualTo(1);
    }

    @Test
    void aReadableJobInMemoryNeverReachesTheStore() {
        String mine = create("acme");
        int before = store.finds.get();
        for (int i = 0; i < 5; i++) {
            assertThat(await(engine.read(mine, ONLY_ACME)).id()).isEqualTo(mine);
        }
        assertThat(store.finds.get()).isEqualTo(before);
    }

    @Test
    void aJobAnotherEngineHoldsIsReadOnceForAnyNumberOfChangesAccessChecks() {
        String theirs = create("acme");
        FlakyStore sameData = store.sameData();
        JobEngine other = EngineTestSupport.engine(sameData, new LocalEventBus(), new SettableClock(T0),
                Duration.ofMillis(20));
        try {
            int before = sameData.finds.get();
            for (int i = 0; i < 5; i++) {
                await(other.mayChange(theirs, ONLY_ACME));
            }
            assertThat(sameData.finds.get() - before).as("read once, then checked from what never changes of it")
                    .isEqualTo(1);
            assertThat(other.cached(theirs)).as("a check loads nothing into memory").isEmpty();

            // a caller who may not read it is refused at an unknown id's cost: one lookup, then none
            for (int i = 0; i < 3; i++) {
                assertThat(refusal(() -> other.mayChange(theirs, NO_ONE)).code()).isEqualTo(ErrorCode.NOT_FOUND);
            }
            assertThat(sameData.finds.get() - before).isEqualTo(2);
            assertThat(refusal(() -> other.mayChange(UNKNOWN, ANYONE)).code()).isEqualTo(ErrorCode.NOT_FOUND);
            assertThat(sameData.finds.get() - before).isEqualTo(3);
        } finally {
            other.close();
        }
    }
}
