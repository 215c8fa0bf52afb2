package dev.herald.server.sse;

import dev.herald.server.support.SseClient;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.herald.server.sse.Jobs.data;
import static dev.herald.server.sse.Jobs.next;
import static org.assertj.core.api.Assertions.assertThat;

/** A silent stream hears a {@code : keep-alive} comment (API §3); the period is shortened for the test. */
class SseKeepAliveTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(o -> o.withKeepAlive(Duration.ofMillis(600)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aSilentStreamReceivesKeepAliveCommentsAndStillDeliversEvents() {
        String id = Jobs.create(server, "running");
        try (SseClient sse = SseClient.open(server, "/api/v1/jobs/" + id + "/events")) {
            assertThat(next(sse).event()).isEqualTo("snapshot");
            for (int i = 0; i < 3; i++) {
                SseClient.Event e = sse.nextAny(Jobs.WAIT);
                assertThat(e).as("keep-alive " + (i + 1)).isNotNull();
                assertThat(e.event()).isEqualTo("comment");
                assertThat(e.data()).isEqualTo("keep-alive");
            }
            Jobs.log(server, id, "after the silence");
            assertThat(data(next(sse)).at("/log/message").asText()).isEqualTo("after the silence");
        }
    }

    @Test
    void aListStreamReceivesKeepAliveCommentsToo() {
        String a = Jobs.create(server, "running");
        String b = Jobs.create(server, "running");
        try (SseClient sse = SseClient.open(server, "/api/v1/events?jobs=" + a + "," + b)) {
            next(sse);
            next(sse);
            SseClient.Event e = sse.nextAny(Jobs.WAIT);
            assertThat(e).isNotNull();
            assertThat(e.event()).isEqualTo("comment");
            assertThat(e.data()).isEqualTo("keep-alive");
        }
    }
}
