package dev.herald.server.sse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.support.SseClient;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.herald.server.sse.Jobs.data;
import static dev.herald.server.sse.Jobs.next;
import static dev.herald.server.sse.Jobs.until;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A finished job removed by retention ends with a {@code deleted} event on open streams
 * (API §3). Retention is 1 ms and the sweep is called directly, not waited for.
 */
class SseDeletedEventTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(o -> o.withRetention(Duration.ofMillis(1)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void sweepUntilDeleted(String id) {
        await().atMost(Jobs.WAIT).pollInterval(Duration.ofMillis(20)).until(() -> {
            server.server().engine().deleteExpired();
            return server.get("/api/v1/jobs/" + id).statusCode() == 404;
        });
    }

    @Test
    void aStreamOpenWhileTheJobFinishesReceivesDeleted() {
        String id = Jobs.create(server, "running");
        try (SseClient sse = SseClient.open(server, "/api/v1/jobs/" + id + "/events")) {
            assertThat(next(sse).event()).isEqualTo("snapshot");
            Jobs.log(server, id, "working");
            Jobs.action(server, id, "complete", "{}");
            List<SseClient.Event> events = until(sse, Jobs.statusTo("completed"));
            long finalVersion = data(events.get(events.size() - 1)).get("version").asLong();

            sweepUntilDeleted(id);

            SseClient.Event deleted = next(sse);
            assertThat(deleted.event()).isEqualTo("deleted");
            assertThat(deleted.id()).isNotBlank();
            JsonNode d = data(deleted);
            assertThat(d.get("type").asText()).isEqualTo("deleted");
            assertThat(d.get("jobId").asText()).isEqualTo(id);
            assertThat(d.get("version").asLong()).isGreaterThanOrEqualTo(finalVersion);
            assertThat(d.has("job")).as("a deleted event carries no job").isFalse();
        }
    }

    @Test
    void aStreamOpenedOnTheFinishedJobReceivesDeleted() {
        String a = Jobs.create(server, "running");
        String b = Jobs.create(server, "running");
        Jobs.action(server, a, "cancel", "{}");
        try (SseClient sse = SseClient.open(server, "/api/v1/events?jobs=" + a + "," + b)) {
            assertThat(next(sse).event()).isEqualTo("snapshot");
            assertThat(next(sse).event()).isEqualTo("snapshot");

            sweepUntilDeleted(a);
            Jobs.log(server, b, "still here");

            List<SseClient.Event> events = until(sse, Jobs.logMessage("still here"));
            assertThat(events).extracting(e -> e.event() + ":" + data(e).get("jobId").asText())
                    .containsExactly("deleted:" + a, "log:" + b);
        }
        try (SseClient sse = SseClient.open(server, "/api/v1/jobs/" + a + "/events")) {
            assertThat(sse.status()).as("a deleted job is unknown").isEqualTo(404);
        }
    }
}
