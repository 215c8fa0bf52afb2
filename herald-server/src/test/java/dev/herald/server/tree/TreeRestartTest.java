package dev.herald.server.tree;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.support.SseClient;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Job trees across a restart on the same data folder: the parents' summaries are kept, and
 * the server, knowing the tree only from its store, still propagates grandchild progress,
 * streams descendants, finishes a {@code completeWithChildren} parent counting the children
 * that finished before the restart, and cascades a cancel.
 */
class TreeRestartTest {
    private static Path dir;
    private static TestServer server;
    // tree 1: root ─┬─ a ─┬─ a1 (running, 40 %)
    //               │     └─ a2 (completed)
    //               └─ b (pending)
    private static String root;
    private static String a;
    private static String a1;
    private static String a2;
    private static String b;
    private static JsonNode rootSummary;
    private static JsonNode aSummary;
    // tree 2: cwc (completeWithChildren) ─┬─ k1 (completed before the restart)
    //                                     └─ k2 (running)
    private static String cwc;
    private static String k2;
    // tree 3: top ─┬─ m ─┬─ m1 (running) ── m1x (queued)
    //              │     └─ m2 (failed)
    //              └─ n (completed)
    private static String top;
    private static String m;
    private static String m1;
    private static String m1x;
    private static String m2;
    private static String n;

    @BeforeAll
    static void buildThenRestart() throws Exception {
        dir = Files.createTempDirectory("herald-tree-restart");
        try (TestServer before = TestServer.startOn(dir)) {
            root = Tree.root(before);
            a = Tree.create(before, root, "running");
            a1 = Tree.create(before, a, "running");
            a2 = Tree.create(before, a, "running");
            b = Tree.create(before, root, "pending");
            Tree.progress(before, a1, "{\"percent\":40}");
            Tree.complete(before, a2);

            cwc = Tree.create(before, Tree.body("cwc", null, "running").put("completeWithChildren", true))
                    .get("id").asText();
            String k1 = Tree.create(before, cwc, "running");
            k2 = Tree.create(before, cwc, "running");
            Tree.complete(before, k1);

            top = Tree.root(before);
            m = Tree.create(before, top, "running");
            m1 = Tree.create(before, m, "running");
            m1x = Tree.create(before, m1, "queued");
            m2 = Tree.create(before, m, "running");
            n = Tree.create(before, top, "running");
            Tree.failJob(before, m2);
            Tree.complete(before, n);

            // a: (40 + 100) / 2 = 70; root: (70 + 0) / 2 = 35
            Tree.eventually(before, root, job -> {
                assertThat(job.at("/children/percent").asDouble()).isEqualTo(35.0);
                assertThat(job.at("/children/text").asText()).isEqualTo("1 pending, 1 running, 0 completed, 0 failed");
            });
            Tree.eventually(before, cwc, job -> assertThat(job.at("/children/completed").asInt()).isEqualTo(1));
            Tree.eventually(before, m, job -> assertThat(job.at("/children/failed").asInt()).isEqualTo(1));
            Tree.eventually(before, top, job -> assertThat(job.at("/children/completed").asInt()).isEqualTo(1));
            rootSummary = Tree.job(before, root).get("children");
            aSummary = Tree.job(before, a).get("children");
        }
        server = TestServer.startOn(dir);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        TestServer.deleteRecursively(dir);
    }

    @Test
    void summariesAreKeptAndGrandchildProgressStillReachesTheRootAndItsStream() {
        assertThat(Tree.job(server, root).get("children")).as("root summary after the restart").isEqualTo(rootSummary);
        assertThat(Tree.job(server, a).get("children")).as("a's summary after the restart").isEqualTo(aSummary);
        assertThat(Tree.job(server, a1).at("/progress/percent").asDouble()).isEqualTo(40.0);

        try (SseClient sse = Tree.open(server, "/api/v1/jobs/" + root + "/events?descendants=true")) {
            List<SseClient.Event> opening = Tree.snapshots(sse, 5);
            assertThat(opening.stream().map(Tree::jobId).toList()).containsExactlyInAnyOrder(root, a, a1, a2, b);

            Tree.progress(server, a1, "{\"percent\":80,\"message\":\"after the restart\"}");
            Tree.log(server, a1, "grandchild after the restart");
            List<SseClient.Event> events = Tree.until(sse, Tree.logOf(a1, "grandchild after the restart"));
            assertThat(events).as(Tree.describe(events).toString()).anyMatch(e -> e.event().equals("progress")
                    && Tree.jobId(e).equals(a1));
            // a: (80 + 100) / 2 = 90; root: (90 + 0) / 2 = 45
            Tree.until(sse, e -> e.event().equals("children") && Tree.jobId(e).equals(root)
                    && Math.abs(Tree.data(e).at("/job/children/percent").asDouble() - 45.0) < 0.001);
        }
        Tree.eventually(server, a, job -> assertThat(job.at("/children/percent").asDouble()).isEqualTo(90.0));
        Tree.eventually(server, root, job -> {
            assertThat(job.at("/children/percent").asDouble()).isCloseTo(45.0, within(0.001));
            assertThat(job.at("/children/text").asText()).isEqualTo("1 pending, 1 running, 0 completed, 0 failed");
        });

        // a new child after the restart is counted along with the old ones
        Tree.create(server, root, "queued");
        Tree.eventually(server, root, job -> {
            assertThat(job.at("/children/total").asInt()).isEqualTo(3);
            assertThat(job.at("/children/percent").asDouble()).isCloseTo(30.0, within(0.001));
            assertThat(job.at("/children/text").asText()).isEqualTo("2 pending, 1 running, 0 completed, 0 failed");
        });
    }

    @Test
    void aCompleteWithChildrenParentCountsTheChildrenThatFinishedBeforeTheRestart() {
        assertThat(Tree.status(server, cwc)).isEqualTo("running");
        try (SseClient sse = Tree.open(server, "/api/v1/jobs/" + cwc + "/events")) {
            Tree.snapshots(sse, 1);
            Tree.complete(server, k2);
            List<SseClient.Event> events = Tree.until(sse, e -> e.event().equals("status"));
            JsonNode status = Tree.data(events.get(events.size() - 1));
            assertThat(status.get("to").asText()).isEqualTo("completed");
            assertThat(status.at("/job/children/text").asText()).isEqualTo("0 pending, 0 running, 2 completed, 0 failed");
        }
    }

    @Test
    void aCancelCascadesOverATreeKnownOnlyFromTheStore() {
        JsonNode failedBefore = Tree.job(server, m2);
        JsonNode completedBefore = Tree.job(server, n);
        Tree.cancel(server, top);
        for (String id : List.of(top, m, m1, m1x)) {
            assertThat(Tree.status(server, id)).as("status of %s", id).isEqualTo("cancelled");
        }
        assertThat(Tree.job(server, m2)).isEqualTo(failedBefore);
        assertThat(Tree.job(server, n)).isEqualTo(completedBefore);
        Tree.error(Tree.post(server, m1x, "heartbeat", "{}"), 409, "job_finished");
        Tree.eventually(server, m, job -> assertThat(job.at("/children/text").asText())
                .isEqualTo("0 pending, 0 running, 0 completed, 1 failed, 1 cancelled"));
        Tree.eventually(server, top, job -> assertThat(job.at("/children/text").asText())
                .isEqualTo("0 pending, 0 running, 1 completed, 0 failed, 1 cancelled"));
    }
}
