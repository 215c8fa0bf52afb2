package dev.herald.server.sse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.support.SseClient;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static dev.herald.server.sse.Jobs.data;
import static dev.herald.server.sse.Jobs.next;
import static dev.herald.server.sse.Jobs.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SSE streams gzipped on request (API §3): every event can be read as soon as it is sent, a client that does
 * not ask gets plain text, and a stream the server ends closes its gzip member properly. Long polls are not
 * compressed.
 */
class SseGzipTest {
    private static final Map<String, String> GZIP = Map.of("Accept-Encoding", "gzip, deflate, br");

    private static SseClient open(TestServer server, String path, Map<String, String> headers) {
        return SseClient.open(server.client(), server.uri(path), TestServer.TOKEN, headers);
    }

    @Test
    void aGzipReaderDecodesEveryEventBeforeTheNextIsSent() {
        try (TestServer server = TestServer.start()) {
            String id = Jobs.create(server, "running");
            try (SseClient sse = open(server, "/api/v1/jobs/" + id + "/events", GZIP)) {
                assertThat(sse.status()).isEqualTo(200);
                assertThat(sse.header("Content-Encoding")).isEqualTo("gzip");
                assertThat(sse.header("Vary")).isEqualTo("Accept-Encoding");
                assertThat(sse.header("Content-Type")).startsWith("text/event-stream");
                assertThat(next(sse).event()).isEqualTo("snapshot");
                assertThat(sse.retry()).isEqualTo(2000);
                for (int k = 1; k <= 30; k++) {
                    long version = Jobs.progress(server, id, "{\"current\":" + k + ",\"total\":30,\"message\":\"step "
                            + k + " of 30\"}");
                    // the next update is sent only once this one is read: each event is flushed on its own
                    SseClient.Event e = next(sse);
                    assertThat(e.event()).isEqualTo("progress");
                    JsonNode d = data(e);
                    assertThat(d.get("version").asLong()).isEqualTo(version);
                    assertThat(d.at("/job/progress/message").asText()).isEqualTo("step " + k + " of 30");
                    assertThat(e.id()).isNotBlank();
                }
                assertThat(sse.failure()).isNull();
            }
        }
    }

    @Test
    void aClientThatDoesNotAskGetsPlainText() {
        try (TestServer server = TestServer.start()) {
            String id = Jobs.create(server, "running");
            for (Map<String, String> headers : java.util.List.of(Map.<String, String>of(),
                    Map.of("Accept-Encoding", "identity"), Map.of("Accept-Encoding", "gzip;q=0, *"),
                    Map.of("Accept-Encoding", "br"))) {
                try (SseClient sse = open(server, "/api/v1/jobs/" + id + "/events", headers)) {
                    assertThat(sse.header("Content-Encoding")).as(headers.toString()).isNull();
                    assertThat(next(sse).event()).isEqualTo("snapshot");
                    long version = Jobs.progress(server, id, "{\"current\":1,\"total\":2}");
                    assertThat(data(next(sse)).get("version").asLong()).isEqualTo(version);
                }
            }
        }
    }

    @Test
    void aStreamTheServerEndsClosesItsGzipStreamCleanly() {
        try (TestServer server = TestServer.start()) {
            String id = Jobs.create(server, "running");
            JsonNode key = Jobs.readKey(server, id, "gzip");
            try (SseClient sse = SseClient.open(server.client(), server.uri("/api/v1/jobs/" + id + "/events"),
                    key.get("token").asText(), GZIP)) {
                assertThat(sse.header("Content-Encoding")).isEqualTo("gzip");
                assertThat(next(sse).event()).isEqualTo("snapshot");
                server.post("/api/v1/keys/" + key.at("/key/id").asText() + "/revoke", "{}");
                await().atMost(Jobs.WAIT).until(sse::ended);
                assertThat(sse.failure()).as("the gzip stream ends with its trailer").isNull();
                assertThat(sse.drain()).anyMatch(e -> e.event().equals("comment") && e.data().contains("revoked"));
            }
        }
    }

    @Test
    void longPollsAreNotCompressed() throws Exception {
        try (TestServer server = TestServer.start()) {
            String id = Jobs.create(server, "running");
            long version = Jobs.version(server, id);
            HttpRequest poll = server.request("/api/v1/jobs/" + id + "?waitForVersion=" + (version - 1))
                    .header("Accept-Encoding", "gzip").GET().build();
            HttpResponse<String> r = server.client().send(poll, HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Encoding")).isEmpty();
            assertThat(tree(r.body()).get("version").asLong()).isEqualTo(version);
        }
    }
}
