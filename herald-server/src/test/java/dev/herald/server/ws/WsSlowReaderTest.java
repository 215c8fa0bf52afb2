package dev.herald.server.ws;

import dev.herald.server.support.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static dev.herald.server.ws.Ws.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * A WebSocket reader that does not keep up is conflated like an SSE reader (API §3, §4):
 * producers and other readers are not slowed, and it gets the newest state, never an
 * older one after a newer one. Throughput is never asserted.
 */
class WsSlowReaderTest {
    private static final int RECEIVE_BUFFER = 4096;

    @Test
    void aStalledReaderIsConflatedWhileProducersAndOtherReadersGoOn() throws Exception {
        int batches = 40;
        int perBatch = 500;
        try (TestServer server = TestServer.start()) {
            String id = Ws.create(server, "running");
            String path = "/api/v1/jobs/" + id + "/ws";
            try (WsClient normal = WsClient.connect(server, path);
                 RawWebSocket stalled = RawWebSocket.open(server, path, TestServer.TOKEN, RECEIVE_BUFFER)) {
                assertThat(normal.until(n -> type(n).equals("snapshot"))).isNotEmpty();
                assertThat(stalled.readHead()).isEqualTo(101);
                // from here on the stalled reader reads nothing until the end
                await().atMost(Ws.WAIT).until(() -> Ws.openSockets(server) >= 2);

                ExecutorService producers = Executors.newFixedThreadPool(4);
                List<CompletableFuture<HttpResponse<String>>> posted = new ArrayList<>();
                try {
                    for (int b = 0; b < batches; b++) {
                        ArrayNode batch = Ws.JSON.createArrayNode();
                        for (int i = 0; i < perBatch; i++) {
                            int n = b * perBatch + i + 1;
                            batch.addObject().put("jobId", id).put("current", n).put("total", batches * perBatch)
                                    .put("message", "update " + n);
                        }
                        String body = batch.toString();
                        posted.add(CompletableFuture.supplyAsync(
                                () -> server.post("/api/v1/progress:batch", body), producers));
                    }
                    for (CompletableFuture<HttpResponse<String>> f : posted) {
                        HttpResponse<String> r = f.get(60, TimeUnit.SECONDS);
                        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                        for (JsonNode result : Ws.tree(r.body()).get("results")) {
                            assertThat(result.get("status").asInt()).as(result.toString()).isEqualTo(202);
                        }
                    }
                } finally {
                    producers.shutdownNow();
                }
                long lastProgress = Ws.version(server, id);
                assertThat(lastProgress).isEqualTo(1L + batches * perBatch);

                // the normal reader reaches the newest state without waiting for the stalled one
                long seen = 0;
                long previous = 0;
                long deadline = System.nanoTime() + Ws.WAIT.toNanos() * 2;
                while (seen < lastProgress && System.nanoTime() < deadline) {
                    JsonNode n = normal.next(Duration.ofSeconds(1));
                    if (n != null) {
                        assertThat(type(n)).isEqualTo("progress");
                        long v = n.get("version").asLong();
                        assertThat(v).as("the normal reader's versions only increase").isGreaterThan(previous);
                        previous = v;
                        seen = v;
                    }
                }
                assertThat(seen).as("the normal reader reaches the final version").isEqualTo(lastProgress);

                Ws.action(server, id, "complete", "{}");
                long finalVersion = Ws.version(server, id);
                assertThat(normal.until(n -> type(n).equals("status") && n.get("to").asText().equals("completed")))
                        .isNotEmpty();

                // now the stalled reader reads
                List<JsonNode> events = new ArrayList<>();
                long deadline2 = System.nanoTime() + Ws.WAIT.toNanos() * 2;
                while (true) {
                    if (System.nanoTime() > deadline2) {
                        fail("the stalled reader did not receive the completion; it read " + events.size()
                                + " frames");
                    }
                    RawWebSocket.Frame f;
                    try {
                        f = stalled.next(Ws.WAIT);
                    } catch (EOFException e) {
                        fail("the stalled reader was disconnected after " + events.size() + " frames");
                        return;
                    }
                    assertThat(f).as("a frame after " + events.size()).isNotNull();
                    assertThat(f.opcode()).as("a text frame (not a close: %s)", f.closeCode())
                            .isEqualTo(RawWebSocket.TEXT);
                    assertThat(f.fin()).isTrue();
                    JsonNode n = Ws.tree(f.text());
                    if (type(n).equals("heartbeat")) {
                        continue;
                    }
                    events.add(n);
                    if (type(n).equals("status") && n.get("to").asText().equals("completed")) {
                        break;
                    }
                }
                assertThat(type(events.get(0))).isEqualTo("subscribed");
                List<JsonNode> stream = events.subList(1, events.size());
                assertThat(type(stream.get(0))).isEqualTo("snapshot");
                long prev = 0;
                for (JsonNode n : stream) {
                    assertThat(n.get("jobId").asText()).isEqualTo(id);
                    long v = n.get("version").asLong();
                    assertThat(v).as("versions only increase: %s v%s", type(n), v).isGreaterThan(prev);
                    prev = v;
                    if (type(n).equals("progress")) {
                        assertThat(n.at("/job/version").asLong()).isEqualTo(v);
                        assertThat(n.at("/job/progress/message").asText()).startsWith("update ");
                    }
                }
                JsonNode last = stream.get(stream.size() - 1);
                assertThat(last.get("version").asLong()).isEqualTo(finalVersion);
                assertThat(stream.get(stream.size() - 2).get("version").asLong())
                        .as("the last progress state is never skipped").isEqualTo(lastProgress);
                assertThat(stream.size()).as("the stalled reader was conflated").isLessThan(batches * perBatch);
                System.out.println("stalled WebSocket reader: " + stream.size() + " events for "
                        + (batches * perBatch) + " updates");
            }
        }
    }
    @Test
    void aReaderTooFarBehindOnLogsIsClosedWith1013AndResumesWithSince() throws Exception {
        try (TestServer server = TestServer.start(o -> o.withMaxQueuedPerReader(50))) {
            String id = Ws.create(server, "running");
            String path = "/api/v1/jobs/" + id + "/ws";
            try (WsClient normal = WsClient.connect(server, path);
                 RawWebSocket stalled = RawWebSocket.open(server, path, TestServer.TOKEN, RECEIVE_BUFFER)) {
                assertThat(normal.until(n -> type(n).equals("snapshot"))).isNotEmpty();
                assertThat(stalled.readHead()).isEqualTo(101);
                await().atMost(Ws.WAIT).until(() -> Ws.subscriptions(server) >= 2);
                double bothHeld = Ws.subscriptions(server);

                CompletableFuture<Integer> producing = CompletableFuture.supplyAsync(() -> {
                    try {
                        return Ws.postLogs(server, id, 1000, 8000, bothHeld);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                // the normal reader gets every line, in order, while the stalled one holds nothing up
                List<Long> seqs = new ArrayList<>();
                Integer lines = null;
                long deadline = System.nanoTime() + Ws.WAIT.toNanos() * 4;
                while ((lines == null || seqs.size() < lines) && System.nanoTime() < deadline) {
                    JsonNode n = normal.next(Duration.ofMillis(200));
                    if (n != null) {
                        assertThat(type(n)).isEqualTo("log");
                        seqs.add(n.at("/log/seq").asLong());
                    }
                    if (lines == null && producing.isDone()) {
                        lines = producing.get();
                    }
                }
                assertThat(lines).as("all log lines were posted").isNotNull();
                assertThat(seqs).as("every log line reaches the normal reader, in seq order")
                        .hasSize(lines).isSorted().doesNotHaveDuplicates();
                System.out.println("posted " + lines + " log lines");

                // the stalled reader was cut off: its subscription is gone, and once drained it reads a 1013 close
                await().atMost(Ws.WAIT).until(() -> Ws.subscriptions(server) < bothHeld);
                List<JsonNode> got = new ArrayList<>();
                int code = stalled.readUntilClose(Ws.WAIT.multipliedBy(2), f -> {
                    JsonNode n = Ws.tree(f.text());
                    if (!type(n).equals("heartbeat")) {
                        got.add(n);
                    }
                });
                assertThat(code).as("close code of the stalled reader after " + got.size() + " frames "
                        + "(-2: closed without a close frame, -3: still open, -4: reset)").isEqualTo(1013);
                assertThat(type(got.get(0))).isEqualTo("subscribed");
                assertThat(type(got.get(1))).isEqualTo("snapshot");
                List<Long> stalledSeqs = new ArrayList<>();
                long held = 0;
                for (JsonNode n : got.subList(1, got.size())) {
                    long v = n.get("version").asLong();
                    assertThat(v).as("versions only increase").isGreaterThan(held);
                    held = v;
                    if (type(n).equals("log")) {
                        stalledSeqs.add(n.at("/log/seq").asLong());
                    }
                }
                for (int i = 0; i < stalledSeqs.size(); i++) {
                    assertThat(stalledSeqs.get(i)).as("no log line skipped before the cut").isEqualTo(i + 1L);
                }
                assertThat((long) stalledSeqs.size()).as("the stalled reader fell behind").isLessThan(lines);
                System.out.println("stalled WebSocket reader closed after " + stalledSeqs.size() + " log lines");

                // it resumes with since: the remaining lines come by replay, then the state
                try (WsClient resumed = WsClient.connect(server, "/api/v1/ws")) {
                    resumed.send("{\"type\":\"subscribe\",\"jobs\":[\"" + id + "\"],\"since\":{\"" + id + "\":"
                            + held + "}}");
                    assertThat(type(resumed.next())).isEqualTo("subscribed");
                    List<Long> replayed = new ArrayList<>();
                    for (JsonNode n : resumed.until(n -> type(n).equals("snapshot"))) {
                        if (type(n).equals("log")) {
                            replayed.add(n.at("/log/seq").asLong());
                        } else if (!type(n).equals("snapshot")) {
                            fail("unexpected " + n);
                        }
                    }
                    List<Long> expected = new ArrayList<>();
                    for (long q = stalledSeqs.size() + 1; q <= lines; q++) {
                        expected.add(q);
                    }
                    assertThat(replayed).as("the remaining log lines, by replay").isEqualTo(expected);
                }
            }
        }
    }

    /**
     * The limit is the connection's, as it is an SSE stream's, not each subscription's: every job
     * gets fewer log lines than the limit, all of them together more than it (and more than the
     * socket buffers hold), and the reader is cut off.
     */
    @Test
    void theBacklogLimitCountsEverySubscriptionOfTheConnection() throws Exception {
        int limit = 50;
        int jobs = 100;
        try (TestServer server = TestServer.start(o -> o.withMaxQueuedPerReader(limit))) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                ids.add(Ws.create(server, "running"));
            }
            try (RawWebSocket stalled = RawWebSocket.open(server, "/api/v1/ws", TestServer.TOKEN, RECEIVE_BUFFER)) {
                assertThat(stalled.readHead()).isEqualTo(101);
                stalled.sendText(Ws.subscribe(ids));
                // from here on the reader reads nothing until the end
                await().atMost(Ws.WAIT).until(() -> Ws.subscriptions(server) >= jobs);

                // one line to each job a round, fewer rounds than the limit, until the reader is cut off
                String padding = "p".repeat(1990);
                ExecutorService producers = Executors.newFixedThreadPool(4);
                int rounds = 0;
                try {
                    while (rounds < limit - 1 && Ws.subscriptions(server) >= jobs) {
                        String message = "round " + rounds + " " + padding;
                        List<CompletableFuture<Long>> posted = ids.stream().map(id -> CompletableFuture.supplyAsync(
                                () -> Ws.log(server, id, message), producers)).toList();
                        for (CompletableFuture<Long> f : posted) {
                            f.get(60, TimeUnit.SECONDS);
                        }
                        rounds++;
                    }
                } finally {
                    producers.shutdownNow();
                }
                System.out.println("WebSocket reader of " + jobs + " jobs: " + rounds + " log lines per job posted");

                List<JsonNode> got = new ArrayList<>();
                int code = stalled.readUntilClose(Ws.WAIT.multipliedBy(2), f -> got.add(Ws.tree(f.text())));
                assertThat(code).as("close code after %s rounds of %s log lines and %s frames read (-2: closed "
                        + "without a close frame, -3: still open, -4: reset)", rounds, jobs, got.size())
                        .isEqualTo(1013);
                assertThat(rounds).as("no job had as many log lines as the limit").isLessThan(limit);
                await().atMost(Ws.WAIT).until(() -> Ws.subscriptions(server) == 0);
            }
        }
    }
}
