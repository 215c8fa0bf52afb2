package dev.herald.server.tree;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.support.SseClient;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code "completeWithChildren": true} (API §1): the parent finishes by itself when its last
 * child ends — failed if any child failed, else cancelled if all were cancelled, else
 * completed — and its readers get the status event.
 */
class CompleteWithChildrenTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String parent() {
        JsonNode p = Tree.create(server, Tree.body("cwc-parent", null, "running").put("completeWithChildren", true));
        assertThat(p.get("completeWithChildren").asBoolean()).isTrue();
        return p.get("id").asText();
    }

    private static List<String> children(String parent, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(Tree.create(server, parent, "running"));
        }
        return ids;
    }

    /**
     * Runs the actions on the children with a reader on the parent, and checks the parent's
     * status event (running -> outcome), the state it carries and the parent read afterwards.
     */
    private static JsonNode endsAs(String parent, String outcome, String text, Runnable actions) {
        try (SseClient sse = Tree.open(server, "/api/v1/jobs/" + parent + "/events")) {
            assertThat(Tree.next(sse).event()).isEqualTo("snapshot");
            actions.run();
            List<SseClient.Event> events = Tree.until(sse, e -> e.event().equals("status"));
            SseClient.Event status = events.get(events.size() - 1);
            JsonNode d = Tree.data(status);
            assertThat(d.get("jobId").asText()).isEqualTo(parent);
            assertThat(d.get("from").asText()).as("from, in %s", d).isEqualTo("running");
            assertThat(d.get("to").asText()).as("the parent's first status event: %s", Tree.describe(events))
                    .isEqualTo(outcome);
            JsonNode job = d.get("job");
            assertThat(job.get("status").asText()).isEqualTo(outcome);
            assertThat(job.get("finishedAt").isNull()).as("finishedAt in %s", job).isFalse();
            assertThat(job.at("/children/text").asText()).as("the summary it ended on").isEqualTo(text);
            assertThat(job.at("/children/percent").asDouble()).as("every child finished").isEqualTo(100.0);
        }
        JsonNode read = Tree.job(server, parent);
        assertThat(read.get("status").asText()).isEqualTo(outcome);
        assertThat(read.at("/children/text").asText()).isEqualTo(text);
        return read;
    }

    @Test
    void allChildrenCompletedCompletesTheParent() {
        String parent = parent();
        List<String> kids = children(parent, 3);
        JsonNode end = endsAs(parent, "completed", "0 pending, 0 running, 3 completed, 0 failed",
                () -> kids.forEach(k -> Tree.complete(server, k)));
        assertThat(end.at("/progress/percent").asDouble()).as("completed shows 100").isEqualTo(100.0);
    }

    @Test
    void oneFailedChildFailsTheParentEvenWhenOthersCompleteAfterIt() {
        String parent = parent();
        List<String> kids = children(parent, 4);
        endsAs(parent, "failed", "0 pending, 0 running, 2 completed, 1 failed, 1 cancelled", () -> {
            Tree.failJob(server, kids.get(0));
            Tree.complete(server, kids.get(1));
            Tree.cancel(server, kids.get(2));
            Tree.complete(server, kids.get(3));
        });
    }

    @Test
    void allChildrenCancelledCancelsTheParent() {
        String parent = parent();
        List<String> kids = children(parent, 3);
        endsAs(parent, "cancelled", "0 pending, 0 running, 0 completed, 0 failed, 3 cancelled",
                () -> kids.forEach(k -> Tree.cancel(server, k)));
    }

    @Test
    void completedAndCancelledChildrenCompleteTheParent() {
        String parent = parent();
        List<String> kids = children(parent, 3);
        endsAs(parent, "completed", "0 pending, 0 running, 1 completed, 0 failed, 2 cancelled", () -> {
            Tree.cancel(server, kids.get(0));
            Tree.complete(server, kids.get(1));
            Tree.cancel(server, kids.get(2));
        });
    }

    @Test
    void theParentWaitsForItsLastChildThenTakesNoMore() {
        String parent = parent();
        List<String> kids = children(parent, 2);
        Tree.complete(server, kids.get(0));
        Tree.eventually(server, parent, job -> assertThat(job.at("/children/completed").asInt()).isEqualTo(1));
        assertThat(Tree.status(server, parent)).as("one child still runs").isEqualTo("running");
        Tree.complete(server, kids.get(1));
        Tree.eventually(server, parent, job -> assertThat(job.get("status").asText()).isEqualTo("completed"));

        HttpResponse<String> late = server.post(Tree.JOBS, Tree.body("late", parent, "running").toString());
        assertThat(Tree.error(late, 409, "job_finished").path("status").asText()).isEqualTo("completed");
    }

    @Test
    void aNestedCompleteWithChildrenTreeFinishesBottomUp() {
        String root = parent();
        String mid = Tree.create(server, Tree.body("cwc-mid", root, "running").put("completeWithChildren", true))
                .get("id").asText();
        String sibling = Tree.create(server, root, "running");
        List<String> leaves = children(mid, 2);
        try (SseClient sse = Tree.open(server, "/api/v1/jobs/" + root + "/events?descendants=true")) {
            Tree.snapshots(sse, 5);
            Tree.complete(server, sibling);
            Tree.complete(server, leaves.get(0));
            Tree.failJob(server, leaves.get(1));
            List<SseClient.Event> events = Tree.until(sse, Tree.statusOf(root, "failed"));
            assertThat(events).as(Tree.describe(events).toString()).anyMatch(Tree.statusOf(mid, "failed"));
        }
        assertThat(Tree.status(server, mid)).isEqualTo("failed");
        assertThat(Tree.job(server, root).at("/children/text").asText())
                .isEqualTo("0 pending, 0 running, 1 completed, 1 failed");
    }
}
