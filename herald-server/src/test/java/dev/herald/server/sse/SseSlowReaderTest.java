package dev.herald.server.sse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.herald.server.support.SseClient;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static dev.herald.server.sse.Jobs.data;
import static dev.herald.server.sse.Jobs.next;
import static dev.herald.server.sse.Jobs.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * Readers that do not keep up (API §3): a stalled reader never slows producers or other
 * readers; it is sent the newest state instead of every progress update, and when it
 * falls too far behind on status and log events it is cut off and resumes by cursor.
 * Throughput is never asserted, only completion and correctness.
 */
class SseSlowReaderTest {
    private static final int RECEIVE_BUFFER = 4096;

    private static void awaitOpenStreams(TestServer server, int n) {
        await().atMost(Jobs.WAIT).pollInterval(Duration.ofMillis(20))
                .until(() -> Jobs.metric(server, "herald_streams_open") >= n);
    }

    /** The stalled socket's events, checked as SSE: framing, ids, one JSON line each, versions increasing. */
    private static List<JsonNode> checkedEvents(RawSseSocket stalled, String jobId) {
        assertThat(stalled.status()).isEqualTo(200);
        assertThat(stalled.header("Content-Type")).startsWith("text/event-stream");
        assertThat(stalled.malformed()).as("lines that break SSE or chunked framing").isEmpty();
        List<JsonNode> out = new ArrayList<>();
        long previous = 0;
        for (RawSseSocket.Event e : stalled.events()) {
            if (e.event().equals("comment")) {
                continue;
            }
            assertThat(e.id()).as("id of " + e).isNotBlank();
            assertThat(e.data()).as("one data line").doesNotContain("\n");
            JsonNode d = tree(e.data());
            assertThat(d.get("type").asText()).isEqualTo(e.event());
            assertThat(d.get("jobId").asText()).isEqualTo(jobId);
            long v = d.get("version").asLong();
            assertThat(v).as("versions only increase: " + e.event() + " v" + v).isGreaterThan(previous);
            previous = v;
            out.add(d);
        }
        assertThat(out).isNotEmpty();
        assertThat(out.get(0).get("type").asText()).isEqualTo("snapshot");
        return out;
    }

    private static String describe(RawSseSocket s) {
        long events = s.events().stream().filter(e -> !e.event().equals("comment")).count();
        long comments = s.events().size() - events;
        long logs = s.events().stream().filter(e -> e.event().equals("log")).count();
        return events + " events (" + logs + " log) and " + comments + " comments";
    }

    @Test
    void aStalledReaderIsConflatedWhileProducersAndOtherReadersGoOn() throws Exception {
        // 20 000 updates in batches that fit the 64 KiB body limit
        int batches = 40;
        int perBatch = 500;
        try (TestServer server = TestServer.start()) {
            String id = Jobs.create(server, "running");
            String path = "/api/v1/jobs/" + id + "/events";
            try (SseClient normal = SseClient.open(server, path);
                 RawSseSocket stalled = RawSseSocket.open(server, path, RECEIVE_BUFFER)) {
                assertThat(next(normal).event()).isEqualTo("snapshot");
                awaitOpenStreams(server, 2);

                ExecutorService producers = Executors.newFixedThreadPool(4);
                List<CompletableFuture<HttpResponse<String>>> posted = new ArrayList<>();
                try {
                    for (int b = 0; b < batches; b++) {
                        ArrayNode batch = Jobs.JSON.createArrayNode();
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
                        for (JsonNode result : tree(r.body()).get("results")) {
                            assertThat(result.get("status").asInt()).as(result.toString()).isEqualTo(202);
                        }
                    }
                } finally {
                    producers.shutdownNow();
                }
                long lastProgress = Jobs.version(server, id);
                assertThat(lastProgress).isEqualTo(1L + batches * perBatch);

                // the normal reader gets the newest state without waiting for the stalled one
                long seen = 0;
                long deadline = System.nanoTime() + Jobs.WAIT.toNanos() * 2;
                while (seen < lastProgress && System.nanoTime() < deadline) {
                    SseClient.Event e = normal.next(Duration.ofSeconds(1));
                    if (e != null) {
                        seen = Math.max(seen, data(e).get("version").asLong());
                    }
                }
                assertThat(seen).as("the normal reader reaches the final version").isEqualTo(lastProgress);

                Jobs.action(server, id, "complete", "{}");
                long finalVersion = Jobs.version(server, id);
                assertThat(Jobs.until(normal, Jobs.statusTo("completed"))).isNotEmpty();

                // now the stalled reader finally reads
                RawSseSocket.End end = stalled.readUntil(e -> e.event().equals("status")
                        && tree(e.data()).path("to").asText().equals("completed"), Jobs.WAIT);
                assertThat(end).as("the stalled reader receives the completion").isEqualTo(RawSseSocket.End.MATCHED);
                List<JsonNode> events = checkedEvents(stalled, id);
                JsonNode last = events.get(events.size() - 1);
                assertThat(last.get("version").asLong()).isEqualTo(finalVersion);
                JsonNode beforeLast = events.get(events.size() - 2);
                assertThat(beforeLast.get("version").asLong())
                        .as("the last progress state is never skipped").isEqualTo(lastProgress);
                for (JsonNode d : events) {
                    if (d.get("type").asText().equals("progress")) {
                        long v = d.get("version").asLong();
                        assertThat(d.at("/job/version").asLong()).isEqualTo(v);
                        assertThat(d.at("/job/progress/message").asText()).startsWith("update ");
                    }
                }
                assertThat(events.size()).as("the stalled reader was conflated").isLessThan(batches * perBatch);
                System.out.println("stalled reader: " + events.size() + " events for " + (batches * perBatch)
                        + " updates");
            }
        }
    }

    @Test
    void aReaderTooFarBehindOnLogsIsCutOffAndResumesByCursor() throws Exception {
        try (TestServer server = TestServer.start(o -> o.withMaxQueuedPerReader(50))) {
            String id = Jobs.create(server, "running");
            String path = "/api/v1/jobs/" + id + "/events";
            try (SseClient normal = SseClient.open(server, path);
                 RawSseSocket stalled = RawSseSocket.open(server, path, RECEIVE_BUFFER)) {
                assertThat(next(normal).event()).isEqualTo("snapshot");
                awaitOpenStreams(server, 2);
                double bothHeld = Jobs.metric(server, "herald_subscriptions");

                CompletableFuture<Integer> producing = CompletableFuture.supplyAsync(() -> {
                    try {
                        return Jobs.postLogs(server, id, 2000, 8000, bothHeld);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                // the normal reader gets every line, in seq order, while the stalled one holds nothing up
                List<Long> seqs = new ArrayList<>();
                Integer lines = null;
                long deadline = System.nanoTime() + Jobs.WAIT.toNanos() * 6;
                while ((lines == null || seqs.size() < lines) && System.nanoTime() < deadline) {
                    SseClient.Event e = normal.next(Duration.ofMillis(200));
                    if (e != null) {
                        assertThat(e.event()).isEqualTo("log");
                        seqs.add(data(e).at("/log/seq").asLong());
                    }
                    if (lines == null && producing.isDone()) {
                        lines = producing.get();
                    }
                }
                assertThat(lines).as("all log lines were posted").isNotNull();
                assertThat(seqs).as("every log line reaches the normal reader, in seq order")
                        .hasSize(lines).isSorted().doesNotHaveDuplicates();
                assertThat(seqs.get(0)).isEqualTo(1);
                assertThat(seqs.get(lines - 1)).isEqualTo((long) lines);
                System.out.println("posted " + lines + " log lines");

                // the stalled reader was cut off: once drained, its connection ends
                await().atMost(Jobs.WAIT).until(() -> Jobs.metric(server, "herald_subscriptions") < bothHeld);
                RawSseSocket.End end = stalled.readUntil(e -> false, Jobs.WAIT);
                assertThat(end).as("the server ended the stalled stream; it read " + describe(stalled))
                        .isIn(RawSseSocket.End.EOF, RawSseSocket.End.RESET);
                List<JsonNode> got = checkedEvents(stalled, id);
                List<Long> stalledSeqs = new ArrayList<>();
                for (JsonNode d : got) {
                    if (d.get("type").asText().equals("log")) {
                        stalledSeqs.add(d.at("/log/seq").asLong());
                    }
                }
                long lastSeq = stalledSeqs.isEmpty() ? 0 : stalledSeqs.get(stalledSeqs.size() - 1);
                assertThat(lastSeq).as("the stalled reader fell behind").isLessThan(lines);
                for (int i = 0; i < stalledSeqs.size(); i++) {
                    assertThat(stalledSeqs.get(i)).as("no log line skipped before the cut").isEqualTo(i + 1L);
                }
                RawSseSocket.Event lastEvent = null;
                for (RawSseSocket.Event e : stalled.events()) {
                    if (!e.event().equals("comment")) {
                        lastEvent = e;
                    }
                }
                long held = got.get(got.size() - 1).get("version").asLong();
                System.out.println("stalled reader cut off (" + end + ") after " + stalledSeqs.size() + " log lines");

                // it resumes with the id of the last event it got
                try (SseClient resumed = SseClient.open(server.client(), server.uri(path), TestServer.TOKEN,
                        Map.of("Last-Event-ID", lastEvent.id()))) {
                    assertThat(resumed.status()).isEqualTo(200);
                    List<Long> replayed = new ArrayList<>();
                    for (SseClient.Event e : Jobs.until(resumed, e -> e.event().equals("snapshot"))) {
                        JsonNode d = data(e);
                        if (d.get("version").asLong() <= held && !e.event().equals("snapshot")) {
                            continue;
                        }
                        if (e.event().equals("log")) {
                            replayed.add(d.at("/log/seq").asLong());
                        } else if (!e.event().equals("snapshot")) {
                            fail("unexpected " + e);
                        }
                    }
                    List<Long> expected = new ArrayList<>();
                    for (long s = lastSeq + 1; s <= lines; s++) {
                        expected.add(s);
                    }
                    assertThat(replayed).as("the remaining log lines, by replay").isEqualTo(expected);
                }
            }
        }
    }
}
