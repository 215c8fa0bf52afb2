package dev.herald.core.port;

import dev.herald.core.engine.IdGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class ListCursorTest {

    private static String b64(String plain) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void roundTrip() {
        ListCursor c = new ListCursor(1_741_944_413_589L, IdGenerator.newJobId());
        assertThat(ListCursor.decode(c.encode())).contains(c);
        ListCursor zero = new ListCursor(0, "j_00000000000000000000000000");
        assertThat(ListCursor.decode(zero.encode())).contains(zero);
    }

    @Test
    void encodedFormIsUrlSafeWithoutPadding() {
        for (int i = 0; i < 200; i++) {
            String text = new ListCursor(System.currentTimeMillis() + i, IdGenerator.newJobId()).encode();
            assertThat(text).matches("[A-Za-z0-9_-]+");
        }
    }

    @ParameterizedTest
    @NullAndEmptySource
    void nullAndEmpty(String text) {
        assertThat(ListCursor.decode(text)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"!!!", "abc def", "a", "%%%%", "abc\n", "\u0000"})
    void badBase64(String text) {
        assertThat(ListCursor.decode(text)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"12345", ":j_x", "abc:j_x", "12.5:j_x", " 12:j_x", "99999999999999999999999:j_x", "0x1f:j_x"})
    void badPlainText(String plain) {
        assertThat(ListCursor.decode(b64(plain))).isEmpty();
    }

    @Test
    void veryLong() {
        assertThat(ListCursor.decode(b64("1:" + "j".repeat(500)))).isEmpty();
        assertThat(ListCursor.decode("A".repeat(10_000))).isEmpty();
    }

    @Test
    void negativeTimeIsRejected() {
        assertThat(ListCursor.decode(b64("-5:" + IdGenerator.newJobId()))).isEmpty();
    }

    @Test
    void controlCharactersAreRejected() {
        assertThat(ListCursor.decode(b64("5:j_\u0000abc"))).isEmpty();
        assertThat(ListCursor.decode(b64("5:j_abc\n"))).isEmpty();
        assertThat(ListCursor.decode(b64("5:\u001b[2J"))).isEmpty();
    }

    @Test
    void emptyJobIdIsRejected() {
        assertThat(ListCursor.decode(b64("5:"))).isEmpty();
    }
}
