package dev.herald.core.event;

import dev.herald.core.port.InMemoryJobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class StreamCursorTest {

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 35, 36, 1295, 1296, 123_456_789, Long.MAX_VALUE})
    void roundTrip(long position) {
        StreamCursor c = new StreamCursor("a1b2c3d4e5f6", position);
        String text = c.encode();
        assertThat(StreamCursor.decode(text)).contains(c);
    }

    @Test
    void roundTripWithAStoreEpoch() {
        String epoch = new InMemoryJobStore().epoch();
        StreamCursor c = new StreamCursor(epoch, 42);
        assertThat(StreamCursor.decode(c.encode())).contains(c);
    }

    @Test
    void encodedFormIsEpochDashBase36() {
        assertThat(new StreamCursor("ep0ch", 36).encode()).isEqualTo("ep0ch-10");
        assertThat(new StreamCursor("ep0ch", 35).encode()).isEqualTo("ep0ch-z");
    }

    @Test
    void differentEpochsAreDifferentCursors() {
        assertThat(StreamCursor.decode("aaa-5")).isNotEqualTo(StreamCursor.decode("bbb-5"));
        assertThat(StreamCursor.decode("aaa-5").orElseThrow().epoch()).isEqualTo("aaa");
    }

    @ParameterizedTest
    @NullAndEmptySource
    void nullAndEmpty(String text) {
        assertThat(StreamCursor.decode(text)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "abc", "12345", "-", "-5", "abc-", "--",           // no dash, no epoch, no position
            "abc-xyz!", "abc-5.0", "abc- 5", "abc-5 ", "abc-_", // bad base36
            "abc--5", "abc--zz",                                // negative
            "abc-zzzzzzzzzzzzzzzzzzzzzzzz",                     // beyond a long
            "ab c-5", "ab/c-5", "ab_c-5", "ép-5", "ab\u0000c-5", "abc-5\n", "abc\r\n-5", "abc-\t5",
            "abc-5\u0000", "\u001b[31m-5"})
    void garbageIsRejected(String text) {
        assertThat(StreamCursor.decode(text)).isEmpty();
    }

    @Test
    void veryLongIsRejected() {
        assertThat(StreamCursor.decode("a".repeat(100) + "-5")).isEmpty();
        assertThat(StreamCursor.decode("a".repeat(10_000) + "-5")).isEmpty();
        assertThat(StreamCursor.decode("a-" + "0".repeat(200) + "5")).isEmpty();
    }

    @Test
    void onlyThePositionsEncodeWritesAreAccepted() {
        // decode promises "empty for anything that is not a well-formed cursor"; encode never writes a sign
        // or non-ASCII digits (the epoch is checked for ASCII, the position is not)
        assertThat(StreamCursor.decode("abc-+5")).isEmpty();
        assertThat(StreamCursor.decode("abc-\u0665")).isEmpty(); // ARABIC-INDIC DIGIT FIVE
        assertThat(StreamCursor.decode("abc-\uFF15")).isEmpty(); // FULLWIDTH DIGIT FIVE
    }
}
