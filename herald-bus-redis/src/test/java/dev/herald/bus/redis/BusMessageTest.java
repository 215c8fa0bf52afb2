package dev.herald.bus.redis;

import dev.herald.core.event.JobEvent;
import dev.herald.testkit.TestJobs;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Several envelopes in one PUBLISH: split again exactly, whatever their text holds. */
class BusMessageTest {
    private static String envelope(long sequence, String message) {
        JobEvent e = JobEvent.progress(TestJobs.running("acme").build()).at(3);
        // raw JSON with a newline, a brace and text outside ASCII: nothing a split may rely on
        return BusEnvelope.encode("node-1", sequence, 0, e, "{\"m\":\"" + message + "\",\"r\":{\n\"x\":\"}\"}}");
    }

    @Test
    void envelopesPackedTogetherComeBackInTheirOrder() {
        List<String> envelopes = List.of(envelope(1, "a"), envelope(2, "ünï ✓ 𝄞"), envelope(3, "]}{\\\""));

        Buffer message = BusMessage.pack("node-1", envelopes);

        assertThat(message.toString()).startsWith(BusEnvelope.ownPrefix("node-1") + ",\"b\":[");
        assertThat(texts(BusMessage.unpack(message))).isEqualTo(envelopes);
    }

    @Test
    void aSingleEnvelopeGoesAsItIs() {
        String one = envelope(1, "a");

        assertThat(BusMessage.pack("node-1", List.of(one)).toString()).isEqualTo(one);
        assertThat(texts(BusMessage.unpack(Buffer.buffer(one)))).containsExactly(one);
        assertThat(texts(BusMessage.unpack(Buffer.buffer("not json")))).containsExactly("not json");
    }

    @Test
    void aHeadWhoseLengthsDoNotMatchWhatFollowsIsNoMessage() {
        String a = envelope(1, "a");
        String packed = BusMessage.pack("node-1", List.of(a, a)).toString();

        assertThat(BusMessage.unpack(Buffer.buffer(packed + "x"))).isNull();
        assertThat(BusMessage.unpack(Buffer.buffer(packed.substring(0, packed.length() - 1)))).isNull();
        assertThat(BusMessage.unpack(Buffer.buffer("{\"n\":\"node-1\",\"b\":[]}"))).isNull();
        assertThat(BusMessage.unpack(Buffer.buffer("{\"n\":\"node-1\",\"b\":[1,x]}a"))).isNull();
        assertThat(BusMessage.unpack(Buffer.buffer("{\"n\":\"node-1\",\"b\":[99999999999]}"))).isNull();
        assertThat(BusMessage.unpack(Buffer.buffer("{\"n\":\"node-1\",\"b\":[1]"))).isNull();
        assertThat(texts(BusMessage.unpack(Buffer.buffer("{\"n\":\"node-1\",\"b\":[1]}a")))).containsExactly("a");
    }

    private static List<String> texts(List<Buffer> envelopes) {
        return envelopes.stream().map(b -> b.toString(StandardCharsets.UTF_8)).toList();
    }
}
