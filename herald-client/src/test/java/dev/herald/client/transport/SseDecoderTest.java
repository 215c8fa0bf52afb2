package dev.herald.client.transport;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Server-Sent Events as the WHATWG rules read them, however the bytes are cut on the way. */
class SseDecoderTest {
    private final List<String> seen = new ArrayList<>();
    private final SseDecoder decoder = new SseDecoder(new SseDecoder.Handler() {
        @Override
        public void event(String lastEventId, String type, String data) {
            seen.add(lastEventId + "|" + type + "|" + data);
        }

        @Override
        public void signOfLife() {
            seen.add("alive");
        }
    });

    private void feed(String text) {
        decoder.feed(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anEventIsDispatchedByTheEmptyLineAfterIt() {
        feed("id: c-1\nevent: progress\ndata: {\"a\":1}\n\n");
        assertThat(seen).containsExactly("c-1|progress|{\"a\":1}");
    }

    @Test
    void anEventCutAtEveryByteStillComesWholeEvenInsideACharacter() {
        byte[] bytes = "id: c-2\r\nevent: log\r\ndata: {\"m\":\"naïve — ok\"}\r\n\r\n".getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            decoder.feed(ByteBuffer.wrap(new byte[]{b}));
        }
        assertThat(seen).containsExactly("c-2|log|{\"m\":\"naïve — ok\"}");
    }

    @Test
    void linesMayEndWithCrLfOrCrAlone() {
        feed("data: one\r\n\r\ndata: two\r\rdata: three\n\n");
        assertThat(seen).containsExactly("|message|one", "|message|two", "|message|three");
    }

    @Test
    void dataLinesJoinWithNewlinesAndOnlyOneSpaceIsDropped() {
        feed("data:first\ndata:  second\n\n");
        assertThat(seen).containsExactly("|message|first\n second");
    }

    @Test
    void theLastIdHoldsUntilAnotherReplacesIt() {
        feed("id: c-1\ndata: a\n\ndata: b\n\nid: c-9\ndata: c\n\n");
        assertThat(seen).containsExactly("c-1|message|a", "c-1|message|b", "c-9|message|c");
    }

    @Test
    void commentsAndRetryAreSignsOfLifeAndAnEventWithoutDataIsNothing() {
        feed("retry: 2000\n\n: keep-alive\n\nevent: progress\n\n");
        assertThat(seen).containsExactly("alive", "alive");
    }
}
