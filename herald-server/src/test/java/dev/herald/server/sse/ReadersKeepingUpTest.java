package dev.herald.server.sse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.support.SseClient;
import dev.herald.server.support.TestServer;
import dev.herald.server.support.WsClient;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;

import static dev.herald.server.sse.Jobs.data;
import static dev.herald.server.sse.Jobs.next;
import static dev.herald.server.sse.Jobs.tree;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Readers that keep up get every update (issue 13): conflation is for a connection that cannot take more,
 * never for updates that merely arrive together. The updates come in one batch, as fast as the server takes
 * them; their events fit in the connection's write queue, so no reader here is ever behind by the server's
 * measure, and each must see every version in order. A long poll answers with the current job, so it sees
 * the newest version each time, never an older one. Nothing here depends on timing.
 */
class ReadersKeepingUpTest {
    private static final int UPDATES = 100;

    @Test
    void sseAndWebSocketReadersGetEveryVersionAndALongPollTheNewest() throws Exception {
        try (TestServer server = TestServer.start()) {
            String id = Jobs.create(server, "running");
            long created = Jobs.version(server, id);
            try (SseClient sse = SseClient.open(server, "/api/v1/jobs/" + id + "/events");
                 WsClient ws = WsClient.connect(server, "/api/v1/jobs/" + id + "/ws")) {
                assertThat(next(sse).event()).isEqualTo("snapshot");
                assertThat(ws.until(n -> n.path("type").asText().equals("snapshot"))).isNotEmpty();
                long last = created + UPDATES;
                CompletableFuture<List<Long>> polled = CompletableFuture.supplyAsync(() -> longPoll(server, id,
                        created, last));

                HttpResponse<String> posted = server.post("/api/v1/progress:batch", Jobs.batchOf(id, UPDATES));
                assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);

                List<Long> every = LongStream.rangeClosed(created + 1, last).boxed().toList();
                List<Long> overSse = new ArrayList<>();
                while (overSse.isEmpty() || overSse.get(overSse.size() - 1) < last) {
                    SseClient.Event e = next(sse);
                    assertThat(e.event()).isEqualTo("progress");
                    overSse.add(data(e).get("version").asLong());
                }
                assertThat(overSse).as("SSE").isEqualTo(every);
                List<Long> overWs = new ArrayList<>();
                while (overWs.isEmpty() || overWs.get(overWs.size() - 1) < last) {
                    JsonNode n = ws.next();
                    assertThat(n.path("type").asText()).isEqualTo("progress");
                    overWs.add(n.get("version").asLong());
                }
                assertThat(overWs).as("WebSocket").isEqualTo(every);
                assertThat(polled.get()).as("long poll: each answer newer than the last").isSorted()
                        .doesNotHaveDuplicates().endsWith(last);
            }
        }
    }

    /** Follows the job by long poll from {@code from} until it reaches {@code last}: the versions answered. */
    private static List<Long> longPoll(TestServer server, String id, long from, long last) {
        List<Long> seen = new ArrayList<>();
        long held = from;
        while (held < last) {
            HttpResponse<String> r = server.get("/api/v1/jobs/" + id + "?waitForVersion=" + held
                    + "&timeoutMs=" + Jobs.WAIT.toMillis());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            long v = tree(r.body()).get("version").asLong();
            assertThat(v).as("a long poll answers once the version passes the one held").isGreaterThan(held);
            seen.add(v);
            held = v;
        }
        return seen;
    }
}
