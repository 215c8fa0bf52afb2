package dev.herald.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three nodes, started at once on an empty database, that none of these cases disturbs: writes on one node, reads
 * and streams on the others (docs/cluster.md §11, §2.5, §3.2, §4, §5, §9).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class BetweenNodesIT {
    @RegisterExtension
    static final Nodes NODES = Nodes.of(3).startedAtOnce();

    private final String a = NODES.get(0).base();
    private final String b = NODES.get(1).base();
    private final String c = NODES.get(2).base();

    @Test
    void threeNodesStartedAtOnceOnAnEmptyDatabaseServeOneStore() {
        List<String> jobs = NODES.all().stream().map(n -> Api.create(n.base(), "\"type\":\"started-at-once\"")).toList();
        for (Node node : NODES.all()) {
            for (String job : jobs) {
                assertThat(Api.get(node.base(), "/jobs/" + job).get("type").asText()).isEqualTo("started-at-once");
                Api.log(node.base(), job, "through " + node.name());
            }
        }
        for (String job : jobs) {
            assertThat(Api.get(a, "/jobs/" + job + "/logs").get("items")).hasSize(3);
        }
    }

    @Test
    void aJobWrittenOnOneNodeIsReadAndStreamedOnAnother() throws Exception {
        String job = Api.create(a, "\"type\":\"between\",\"status\":\"running\"");
        try (SseReader onB = SseReader.job(b, job, null)) {
            for (int i = 1; i <= 20; i++) {
                Api.progress(a, job, i * 10);
            }
            Api.log(a, job, "half way");
            Api.post(c, "/jobs/" + job + "/complete", "{\"result\":{\"rows\":200}}");

            onB.awaitEvent(e -> e.type().equals("status") && e.job().path("status").asText().equals("completed"));
            assertThat(onB.events("log")).extracting(e -> e.data().path("log").path("message").asText())
                    .containsExactly("half way");
            assertThat(onB.events("progress")).last().satisfies(e ->
                    assertThat(e.job().path("progress").path("current").asInt()).isEqualTo(200));
            assertVersionsIncrease(onB.events());
        }
        JsonNode read = Api.get(b, "/jobs/" + job);
        assertThat(read.get("status").asText()).isEqualTo("completed");
        assertThat(read.get("result").get("rows").asInt()).isEqualTo(200);
        assertThat(Api.get(b, "/jobs/" + job + "/logs").get("items")).hasSize(1);
    }

    @Test
    void aReaderResumesOnAnotherNodeWithLastEventIdMissingNothingAndGettingNothingTwice() throws Exception {
        String job = Api.create(a, "\"type\":\"resume\"");
        String cursor;
        List<SseReader.Event> before;
        try (SseReader onA = SseReader.job(a, job, null)) {
            for (int i = 1; i <= 3; i++) {
                Api.log(a, job, "line " + i);
            }
            onA.awaitEvent(e -> e.logSeq() == 3);
            cursor = onA.lastCursor();
            before = onA.events("log", "status");
        }
        Api.post(c, "/jobs/" + job + "/start", "{}");
        for (int i = 4; i <= 6; i++) {
            Api.log(c, job, "line " + i);
        }
        try (SseReader onB = SseReader.job(b, job, cursor)) {
            onB.awaitEvent(e -> e.logSeq() == 6);
            List<SseReader.Event> after = onB.events("log", "status");
            assertThat(before).extracting(SseReader.Event::logSeq).containsExactly(1L, 2L, 3L);
            assertThat(after).extracting(SseReader.Event::type).containsExactly("status", "log", "log", "log");
            assertThat(after).extracting(SseReader.Event::logSeq).containsExactly(-1L, 4L, 5L, 6L);
            assertVersionsIncrease(onB.events());
        }
    }

    @Test
    void concurrentProgressThroughTwoNodesKeepsVersionsIncreasingForEveryReader() throws Exception {
        String job = Api.create(a, "\"type\":\"concurrent\",\"status\":\"running\"");
        List<SseReader> readers = NODES.all().stream().map(n -> SseReader.job(n.base(), job, null)).toList();
        try {
            CompletableFuture<Void> throughA = CompletableFuture.runAsync(() -> report(a, job, 0));
            CompletableFuture<Void> throughB = CompletableFuture.runAsync(() -> report(b, job, 1));
            CompletableFuture.allOf(throughA, throughB).get(2, TimeUnit.MINUTES);

            await("every node answers the same state").atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() -> {
                List<JsonNode> states = NODES.all().stream().map(n -> Api.get(n.base(), "/jobs/" + job)).toList();
                assertThat(states).extracting(s -> s.get("version").asLong()).containsOnly(states.get(0).get("version").asLong());
                assertThat(states).extracting(s -> s.get("progress")).containsOnly(states.get(0).get("progress"));
            });
            long last = Api.get(a, "/jobs/" + job).get("version").asLong();
            for (SseReader reader : readers) {
                reader.awaitEvent(e -> e.version() == last);
                assertVersionsIncrease(reader.events());
            }
        } finally {
            for (SseReader reader : readers) {
                reader.close();
            }
        }
    }

    @Test
    void childrenCreatedThroughOneNodeRollUpIntoAParentWatchedOnAnother() throws Exception {
        String parent = Api.create(a, "\"type\":\"parent\",\"status\":\"running\"");
        try (SseReader onB = SseReader.job(b, parent, null)) {
            List<String> children = IntStream.range(0, 3)
                    .mapToObj(i -> Api.create(c, "\"type\":\"child\",\"parentId\":\"" + parent + "\"")).toList();
            for (String child : children) {
                Api.post(c, "/jobs/" + child + "/start", "{}");
                Api.post(c, "/jobs/" + child + "/complete", "{}");
            }
            SseReader.Event rolledUp = onB.awaitEvent(e -> e.job().path("children").path("completed").asInt() == 3);
            assertThat(rolledUp.job().path("children").path("total").asInt()).isEqualTo(3);
            assertThat(rolledUp.job().path("status").asText()).isEqualTo("running");
        }
        // B reads the parent from the store: the owner writes a summary behind, within a flush (docs/cluster.md §14)
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                Api.get(b, "/jobs/" + parent).get("children").get("completed").asInt()).isEqualTo(3));
    }

    @Test
    void aParentThatCompletesWithItsChildrenFinishesOnce() throws Exception {
        String parent = Api.create(a, "\"type\":\"parent\",\"status\":\"running\",\"completeWithChildren\":true");
        String first;
        try (SseReader onB = SseReader.job(b, parent, null)) {
            first = onB.lastCursor();
            List<String> children = IntStream.range(0, 2).mapToObj(i -> Api.create(c,
                    "\"type\":\"child\",\"status\":\"running\",\"parentId\":\"" + parent + "\"")).toList();
            children.forEach(child -> Api.post(c, "/jobs/" + child + "/complete", "{}"));
            onB.awaitEvent(e -> e.type().equals("status") && e.data().path("to").asText().equals("completed"));
        }
        assertFinishedOnce(c, parent, first);
    }

    /** Every status event of the job since {@code cursor}, replayed from the store on {@code base}: one completion. */
    static void assertFinishedOnce(String base, String job, String cursor) throws Exception {
        try (SseReader replay = SseReader.job(base, job, cursor)) {
            assertThat(replay.events("status")).extracting(e -> e.data().path("to").asText()).containsExactly("completed");
        }
    }

    /** Versions of each job never repeat nor go back within one stream (a log line's state may follow it). */
    static void assertVersionsIncrease(List<SseReader.Event> events) {
        java.util.Map<String, Long> last = new java.util.HashMap<>();
        for (SseReader.Event e : events) {
            if (e.version() < 0) {
                continue;
            }
            Long before = last.put(e.jobId(), e.version());
            assertThat(before == null || e.version() > before || (e.version() == before && !e.type().equals("log")))
                    .as("version %s (%s) after %s in %s", e.version(), e.type(), before, events).isTrue();
        }
    }

    private static void report(String base, String job, int parity) {
        for (int i = 0; i < 100; i++) {
            Api.progress(base, job, 2 * i + parity);
        }
    }
}
