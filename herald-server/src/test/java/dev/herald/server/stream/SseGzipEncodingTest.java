package dev.herald.server.stream;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The gzip form of an SSE stream ({@link SseGzip}): what it negotiates, and that any gzip reader inflates it. */
class SseGzipEncodingTest {
    private static final Instant T = Instant.parse("2026-12-07T10:00:00Z");

    private static EncodedEvent progress(long version) {
        Job job = new Job.Builder().id("j_a").type("t").project("p").status(JobStatus.RUNNING).createdAt(T)
                .updatedAt(T).version(version).build();
        return new EncodedEvent(JobEvent.progress(job), "e");
    }

    private static String inflate(Buffer gzip) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip.getBytes()))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void acceptsGzipOnlyWhenTheClientDoes() {
        assertThat(SseGzip.accepted("gzip, deflate, br, zstd")).isTrue();
        assertThat(SseGzip.accepted("br;q=1.0, GZIP;q=0.5")).isTrue();
        assertThat(SseGzip.accepted("x-gzip")).isTrue();
        assertThat(SseGzip.accepted("*")).isTrue();
        assertThat(SseGzip.accepted(null)).isFalse();
        assertThat(SseGzip.accepted("")).isFalse();
        assertThat(SseGzip.accepted("identity")).isFalse();
        assertThat(SseGzip.accepted("deflate, br")).isFalse();
        assertThat(SseGzip.accepted("gzip;q=0")).isFalse();
        assertThat(SseGzip.accepted("gzip;q=0, *")).as("a refused gzip is not accepted by *").isFalse();
        assertThat(SseGzip.accepted("gzip;q=nonsense")).isFalse();
    }

    @Test
    void everythingWrittenInflatesToThePlainStreamAndEachEventIsSmall() throws IOException {
        SseGzip gzip = new SseGzip();
        StringBuilder plain = new StringBuilder("retry: 2000\n\n");
        Buffer wire = gzip.start(Buffer.buffer("retry: 2000\n\n"));
        for (long v = 1; v <= 50; v++) {
            EncodedEvent e = progress(v);
            Buffer bytes = gzip.event(e);
            if (v > 1) {
                assertThat(bytes.length()).as("event %d after its like", v).isLessThan(e.sseFrame().length() / 4);
            }
            wire.appendBuffer(bytes);
            plain.append(e.sseFrame().toString(StandardCharsets.UTF_8));
            if (v % 10 == 0) {
                wire.appendBuffer(gzip.write(Buffer.buffer(": keep-alive\n\n")));
                plain.append(": keep-alive\n\n");
            }
        }
        wire.appendBuffer(gzip.end(Buffer.buffer(": revoked\n\n")));
        plain.append(": revoked\n\n");
        assertThat(inflate(wire)).isEqualTo(plain.toString());
    }

    @Test
    void readersSentTheSameFrameBeforeShareTheBytesOfTheNext() throws IOException {
        SseGzip a = new SseGzip();
        SseGzip b = new SseGzip();
        Buffer wireA = a.start(Buffer.buffer("retry: 2000\n\n"));
        Buffer wireB = b.start(Buffer.buffer("retry: 2000\n\n"));
        EncodedEvent first = progress(1);
        EncodedEvent second = progress(2);
        wireA.appendBuffer(a.event(first));
        wireB.appendBuffer(b.event(first));
        Buffer fromA = a.event(second);
        assertThat(b.event(second)).isSameAs(fromA);
        wireA.appendBuffer(fromA).appendBuffer(a.end(Buffer.buffer(": end\n\n")));
        assertThat(inflate(wireA)).endsWith(second.sseFrame().toString(StandardCharsets.UTF_8) + ": end\n\n");
    }
}
