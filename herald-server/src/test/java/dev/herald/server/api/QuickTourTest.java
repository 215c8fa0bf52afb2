package dev.herald.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.server.support.SseClient;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's five-minute tour, step by step, against a real server. */
class QuickTourTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void createWatchReportComplete() throws Exception {
        var created = server.post("/api/v1/jobs",
                "{\"type\":\"import-csv\",\"name\":\"Import customers.csv\",\"stages\":[{\"name\":\"parsing\",\"weight\":20},{\"name\":\"loading\",\"weight\":80}]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode job = JSON.readTree(created.body());
        String id = job.get("id").asText();
        assertThat(job.get("status").asText()).isEqualTo("pending");
        assertThat(job.get("version").asLong()).isEqualTo(1);

        try (SseClient sse = SseClient.open(server, "/api/v1/jobs/" + id + "/events")) {
            assertThat(sse.status()).isEqualTo(200);
            SseClient.Event snapshot = sse.next(WAIT);
            assertThat(snapshot.event()).isEqualTo("snapshot");
            assertThat(sse.retry()).isEqualTo(2000);

            var progress = server.post("/api/v1/jobs/" + id + "/progress",
                    "{\"stage\":\"loading\",\"current\":400,\"total\":1000,\"unit\":\"rows\",\"message\":\"Loading rows\"}");
            assertThat(progress.statusCode()).as(progress.body()).isEqualTo(202);

            SseClient.Event status = sse.next(WAIT);
            assertThat(status.event()).isEqualTo("status");
            JsonNode data = JSON.readTree(status.data());
            assertThat(data.get("from").asText()).isEqualTo("pending");
            assertThat(data.get("to").asText()).isEqualTo("running");
            assertThat(data.at("/job/progress/percent").asDouble()).isEqualTo(52.0);

            var done = server.post("/api/v1/jobs/" + id + "/complete", "{\"result\":{\"rows\":1000}}");
            assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
            SseClient.Event completed = sse.next(WAIT);
            JsonNode c = JSON.readTree(completed.data());
            assertThat(c.get("to").asText()).isEqualTo("completed");
            assertThat(c.at("/job/progress/percent").asDouble()).isEqualTo(100.0);
            assertThat(c.at("/job/result/rows").asInt()).isEqualTo(1000);
        }
    }
}
