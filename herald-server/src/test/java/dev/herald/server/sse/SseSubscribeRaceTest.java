package dev.herald.server.sse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.support.SseClient;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.LongStream;

import static dev.herald.server.sse.Jobs.data;
import static dev.herald.server.sse.Jobs.next;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stream opened while its job is being written to: the snapshot it opens with may be read while changes are
 * still on their way to the store and the subscribers. Resumed from a cursor taken before the writing, the
 * stream must still bring every log line once and every version in order, none hidden behind the snapshot.
 */
class SseSubscribeRaceTest {
    private static final int ROUNDS = 60;
    private static final int LINES = 25;

    private static TestServer server;
    private static ExecutorService writer;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        writer = Executors.newSingleThreadExecutor();
    }

    @AfterAll
    static void stop() {
        writer.shutdownNow();
        server.close();
    }

    @Test
    void aStreamOpenedWhileLinesAreWrittenMissesNoneAndRepeatsNone() {
        for (int round = 0; round < ROUNDS; round++) {
            // a type of its own each round: with a history of earlier rounds, a round that runs long is marked
            // overdue, a version of its own that this test does not count
            String id = Jobs.createWith(server, "{\"type\":\"race-" + round + "\",\"status\":\"running\"}");
            String path = "/api/v1/jobs/" + id + "/events";
            SseClient.Event opening;
            try (SseClient first = SseClient.open(server, path)) {
                opening = next(first);
            }
            long held = data(opening).get("version").asLong();
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                for (int i = 1; i <= LINES; i++) {
                    Jobs.log(server, id, "line " + i);
                }
                Jobs.action(server, id, "complete", "{}");
            }, writer);
            try (SseClient sse = SseClient.open(server.client(), server.uri(path), TestServer.TOKEN,
                    Map.of("Last-Event-ID", opening.id()))) {
                List<Long> seqs = new ArrayList<>();
                List<Long> versions = new ArrayList<>();
                while (true) {
                    SseClient.Event e = next(sse);
                    JsonNode d = data(e);
                    if (!e.event().equals("snapshot")) {
                        versions.add(d.get("version").asLong());
                    }
                    if (e.event().equals("log")) {
                        seqs.add(d.at("/log/seq").asLong());
                    }
                    if (e.event().equals("status") && d.get("to").asText().equals("completed")) {
                        break;
                    }
                    assertThat(d.at("/job/status").asText()).as("round %d: the end was hidden behind %s", round, e)
                            .isNotEqualTo("completed");
                }
                assertThat(seqs).as("round %d: log lines", round)
                        .containsExactlyElementsOf(LongStream.rangeClosed(1, LINES).boxed().toList());
                assertThat(versions).as("round %d: versions after the cursor", round)
                        .containsExactlyElementsOf(LongStream.rangeClosed(held + 1, held + LINES + 1).boxed().toList());
            }
            writing.join();
        }
    }
}
