package dev.herald.server.tree;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A parent's {@code children} summary (API §1) with children in every state, and a
 * grandchild's progress reaching the root: each level's {@code children.percent} is the
 * mean of its direct children, a terminal child counting 100 and a child with children
 * contributing its own {@code children.percent}. Read over REST once the children are quiet.
 */
class ChildrenSummaryTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Checks every count, the total, the percent (to the 2 decimals the API shows) and the exact text. */
    private static void summaryIs(JsonNode job, Map<String, Integer> counts, double percent, String text) {
        JsonNode ch = job.get("children");
        assertThat(ch).as("children of %s", job).isNotNull();
        assertThat(ch.isObject()).as("children summary of %s", job).isTrue();
        int total = 0;
        for (String f : new String[]{"pending", "queued", "running", "completed", "failed", "cancelled"}) {
            int expected = counts.getOrDefault(f, 0);
            assertThat(ch.get(f).asInt()).as("%s in %s", f, ch).isEqualTo(expected);
            total += expected;
        }
        assertThat(ch.get("total").asInt()).as("total in %s", ch).isEqualTo(total);
        assertThat(ch.get("percent").asDouble()).as("percent in %s", ch).isCloseTo(percent, within(0.0051));
        assertThat(ch.get("text").asText()).as("text in %s", ch).isEqualTo(text);
    }

    @Test
    void mixedStatesGiveExactCountsTextAndMeanPercent() {
        String parent = Tree.root(server);
        long created = Tree.job(server, parent).get("version").asLong();
        assertThat(Tree.job(server, parent).get("children").isNull()).as("no children yet").isTrue();

        String pending = Tree.create(server, parent, "pending");
        String queued = Tree.create(server, parent, "queued");
        String running = Tree.create(server, parent, "running");
        String completed = Tree.create(server, parent, "running");
        String failed = Tree.create(server, parent, "running");
        Tree.progress(server, running, "{\"percent\":40}");
        Tree.complete(server, completed);
        Tree.failJob(server, failed);

        // (0 + 0 + 40 + 100 + 100) / 5
        Tree.eventually(server, parent, job -> summaryIs(job,
                Map.of("pending", 1, "queued", 1, "running", 1, "completed", 1, "failed", 1), 48.0,
                "2 pending, 1 running, 1 completed, 1 failed"));
        JsonNode first = Tree.job(server, parent);
        long v1 = first.get("version").asLong();
        assertThat(v1).as("the summary changed the parent's version").isGreaterThan(created);
        assertThat(first.at("/progress/percent").asDouble()).as("the parent's own percent is its reporter's")
                .isEqualTo(0.0);
        assertThat(first.get("status").asText()).isEqualTo("running");

        // quiet: the summary and the version stay put
        JsonNode again = Tree.job(server, parent);
        assertThat(again.get("children")).isEqualTo(first.get("children"));

        String cancelled = Tree.create(server, parent, "pending");
        Tree.cancel(server, cancelled);
        Tree.progress(server, pending, "{\"percent\":10}"); // pending -> running
        // (10 + 0 + 40 + 100 + 100 + 100) / 6 = 58.333...
        Tree.eventually(server, parent, job -> summaryIs(job,
                Map.of("queued", 1, "running", 2, "completed", 1, "failed", 1, "cancelled", 1), 350.0 / 6,
                "1 pending, 2 running, 1 completed, 1 failed, 1 cancelled"));
        long v2 = Tree.job(server, parent).get("version").asLong();
        assertThat(v2).as("parent version after more child changes").isGreaterThan(v1);

        Tree.complete(server, pending);
        Tree.ok(server, queued, "start", "{}");
        Tree.complete(server, queued);
        Tree.complete(server, running);
        Tree.eventually(server, parent, job -> summaryIs(job,
                Map.of("completed", 4, "failed", 1, "cancelled", 1), 100.0,
                "0 pending, 0 running, 4 completed, 1 failed, 1 cancelled"));
        JsonNode end = Tree.job(server, parent);
        assertThat(end.get("version").asLong()).isGreaterThan(v2);
        assertThat(end.get("status").asText()).as("without completeWithChildren the parent stays open")
                .isEqualTo("running");
    }

    @Test
    void aQueuedChildCountsAsPendingInTheTextAndACancelledOneOnlyWhenThere() {
        String parent = Tree.root(server);
        Tree.create(server, parent, "queued");
        Tree.create(server, parent, "queued");
        Tree.eventually(server, parent, job -> summaryIs(job, Map.of("queued", 2), 0.0,
                "2 pending, 0 running, 0 completed, 0 failed"));
    }

    @Test
    void aGrandchildsProgressMovesItsParentAndTheRoot() {
        String root = Tree.root(server);
        String child = Tree.create(server, root, "running");
        String leaf = Tree.create(server, root, "running");
        String g1 = Tree.create(server, child, "running");
        String g2 = Tree.create(server, child, "running");
        Tree.eventually(server, root, job -> summaryIs(job, Map.of("running", 2), 0.0,
                "0 pending, 2 running, 0 completed, 0 failed"));
        long rootVersion = Tree.job(server, root).get("version").asLong();
        long childVersion = Tree.job(server, child).get("version").asLong();

        Tree.progress(server, g1, "{\"percent\":50}");
        // child: (50 + 0) / 2 = 25; root: (25 + 0) / 2 = 12.5
        Tree.eventually(server, child, job -> summaryIs(job, Map.of("running", 2), 25.0,
                "0 pending, 2 running, 0 completed, 0 failed"));
        Tree.eventually(server, root, job -> summaryIs(job, Map.of("running", 2), 12.5,
                "0 pending, 2 running, 0 completed, 0 failed"));
        JsonNode c = Tree.job(server, child);
        assertThat(c.get("version").asLong()).isGreaterThan(childVersion);
        assertThat(c.at("/progress/percent").asDouble()).as("the child's own percent is left to its reporter")
                .isEqualTo(0.0);
        assertThat(Tree.job(server, root).get("version").asLong()).isGreaterThan(rootVersion);

        Tree.complete(server, g2);
        // child: (50 + 100) / 2 = 75; root: (75 + 0) / 2 = 37.5
        Tree.eventually(server, child, job -> summaryIs(job, Map.of("running", 1, "completed", 1), 75.0,
                "0 pending, 1 running, 1 completed, 0 failed"));
        Tree.eventually(server, root, job -> summaryIs(job, Map.of("running", 2), 37.5,
                "0 pending, 2 running, 0 completed, 0 failed"));

        Tree.progress(server, leaf, "{\"percent\":20}");
        Tree.progress(server, g1, "{\"percent\":90}");
        // child: (90 + 100) / 2 = 95; root: (95 + 20) / 2 = 57.5
        Tree.eventually(server, child, job -> summaryIs(job, Map.of("running", 1, "completed", 1), 95.0,
                "0 pending, 1 running, 1 completed, 0 failed"));
        Tree.eventually(server, root, job -> summaryIs(job, Map.of("running", 2), 57.5,
                "0 pending, 2 running, 0 completed, 0 failed"));

        // a child that finishes counts 100, whatever its own children say
        Tree.complete(server, child);
        Tree.eventually(server, root, job -> summaryIs(job, Map.of("running", 1, "completed", 1), 60.0,
                "0 pending, 1 running, 1 completed, 0 failed"));
    }

    @Test
    void progressFourLevelsDownReachesTheRoot() {
        String root = Tree.root(server);
        String a = Tree.create(server, root, "running");
        String b = Tree.create(server, a, "running");
        String c = Tree.create(server, b, "running");
        Tree.progress(server, c, "{\"percent\":30}");
        for (String id : new String[]{b, a, root}) {
            Tree.eventually(server, id, job -> summaryIs(job, Map.of("running", 1), 30.0,
                    "0 pending, 1 running, 0 completed, 0 failed"));
        }
        Tree.progress(server, c, "{\"percent\":80}");
        Tree.eventually(server, root, job -> summaryIs(job, Map.of("running", 1), 80.0,
                "0 pending, 1 running, 0 completed, 0 failed"));
    }
}
