package dev.herald.core.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class IdGeneratorTest {
    private static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static final Pattern FORMAT = Pattern.compile("j_[0-9A-HJKMNP-TV-Z]{26}");

    @Test
    void format() {
        for (int i = 0; i < 1000; i++) {
            String id = IdGenerator.newJobId();
            assertThat(id).hasSize(28).startsWith("j_").matches(FORMAT);
        }
    }

    @Test
    void unique() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            ids.add(IdGenerator.newJobId());
        }
        assertThat(ids).hasSize(100_000);
    }

    @Test
    void everyPositionUsesTheWholeAlphabet() {
        // catches bits that never vary (a broken extraction would leave some position constant or skewed)
        List<Set<Character>> seen = new ArrayList<>();
        for (int p = 0; p < 26; p++) {
            seen.add(new HashSet<>());
        }
        for (int i = 0; i < 20_000; i++) {
            String id = IdGenerator.newJobId();
            for (int p = 0; p < 26; p++) {
                seen.get(p).add(id.charAt(p + 2));
            }
        }
        for (int p = 0; p < 26; p++) {
            assertThat(seen.get(p)).as("position %d", p).hasSize(32);
        }
    }

    @Test
    void generatedIdsLookLikeJobIds() {
        for (int i = 0; i < 10_000; i++) {
            assertThat(IdGenerator.looksLikeJobId(IdGenerator.newJobId())).isTrue();
        }
        assertThat(IdGenerator.looksLikeJobId("j_01JD3Q8Z3X9V7K2M4N6P8R0T2W")).isTrue();
        assertThat(IdGenerator.looksLikeJobId("j_" + "0".repeat(26))).isTrue();
        assertThat(IdGenerator.looksLikeJobId("j_" + "Z".repeat(26))).isTrue();
        for (char c : CROCKFORD.toCharArray()) {
            assertThat(IdGenerator.looksLikeJobId("j_" + String.valueOf(c).repeat(26))).as("%s", c).isTrue();
        }
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
            "j_", "j_01JD3Q8Z3X9V7K2M4N6P8R0T2", "j_01JD3Q8Z3X9V7K2M4N6P8R0T2WX",
            "J_01JD3Q8Z3X9V7K2M4N6P8R0T2W", "x_01JD3Q8Z3X9V7K2M4N6P8R0T2W", "j-01JD3Q8Z3X9V7K2M4N6P8R0T2W",
            "j_01jd3q8z3x9v7k2m4n6p8r0t2w", "j_I1JD3Q8Z3X9V7K2M4N6P8R0T2W", "j_L1JD3Q8Z3X9V7K2M4N6P8R0T2W",
            "j_O1JD3Q8Z3X9V7K2M4N6P8R0T2W", "j_U1JD3Q8Z3X9V7K2M4N6P8R0T2W", "j_01JD3Q8Z3X9V7K2M4N6P8R0T2_",
            "j_01JD3Q8Z3X9V7K2M4N6P8R0T2 ", "j_01JD3Q8Z3X9V7K2M4N6P8R0T2\u0000", "j_01JD3Q8Z3X9V7K2M4N6P8R0T2\u00C9",
            "j_01JD3Q8Z3X9V7K2M4N6P8R0T2\uFF11", "../../etc/passwd", "Ab3_x-9QwErTyUiOpAsDfGh"})
    void otherTextDoesNot(String text) {
        assertThat(IdGenerator.looksLikeJobId(text)).isFalse();
    }
}
