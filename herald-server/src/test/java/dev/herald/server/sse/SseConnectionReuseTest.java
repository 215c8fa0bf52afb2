package dev.herald.server.sse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static dev.herald.server.sse.Jobs.tree;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stream's events go out as chunks framed in advance and written below Netty's HTTP encoder ({@code Chunks}),
 * while the response's head, its keep-alives and its end go through it. When the server ends such a stream, the body still ends with
 * its last chunk, and the connection serves the client's next request: HTTP/1.1 keep-alive holds.
 */
class SseConnectionReuseTest {
    private static final int UPDATES = 3;

    @Test
    void theConnectionServesTheNextRequestOnceTheServerEndsTheStream() throws Exception {
        try (TestServer server = TestServer.start()) {
            String id = Jobs.create(server, "running");
            JsonNode key = Jobs.readKey(server, id, "reuse");
            String path = "/api/v1/jobs/" + id + "/events";
            try (RawSseSocket r = RawSseSocket.open(server, path,
                    Map.of("Authorization", "Bearer " + key.get("token").asText()), 0)) {
                assertThat(r.readUntil(e -> e.event().equals("snapshot"), Jobs.WAIT))
                        .isEqualTo(RawSseSocket.End.MATCHED);
                long last = Jobs.version(server, id) + UPDATES;
                HttpResponse<String> posted = server.post("/api/v1/progress:batch", Jobs.batchOf(id, UPDATES));
                assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
                assertThat(r.readUntil(e -> e.event().equals("progress")
                        && tree(e.data()).get("version").asLong() == last, Jobs.WAIT))
                        .isEqualTo(RawSseSocket.End.MATCHED);

                server.post("/api/v1/keys/" + key.at("/key/id").asText() + "/revoke", "{}");
                assertThat(r.readUntil(e -> false, Jobs.WAIT)).isEqualTo(RawSseSocket.End.EOF);
                assertThat(r.events()).anyMatch(e -> e.event().equals("comment") && e.data().contains("revoked"));

                assertThat(r.again(server.uri(path))).as("the next request on the connection").isEqualTo(200);
                assertThat(r.header("Content-Type")).startsWith("text/event-stream");
                assertThat(r.readUntil(e -> e.event().equals("snapshot"), Jobs.WAIT))
                        .isEqualTo(RawSseSocket.End.MATCHED);
                assertThat(r.malformed()).isEmpty();
            }
        }
    }
}
