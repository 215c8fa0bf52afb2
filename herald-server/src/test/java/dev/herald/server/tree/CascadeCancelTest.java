package dev.herald.server.tree;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.support.SseClient;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code POST /jobs/{id}/cancel} cancels the job and every unfinished descendant (API §2);
 * a worker of a cancelled descendant learns it from its next write: 409 {@code job_finished}
 * with status {@code cancelled} (API §2 last paragraph).
 */
class CascadeCancelTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void cancellingTheRootCancelsEveryUnfinishedDescendantOverThreeLevels() {
        // root
        //  ├─ a (running) ─┬─ a1 (running) ── a1x (pending)
        //  │               ├─ a2 (completed)
        //  │               └─ a3 (queued)
        //  ├─ b (failed)
        //  └─ c (pending) ─── c1 (running) ─┬─ c1x (running)
        //                                   └─ c1y (failed)
        String root = Tree.root(server);
        String a = Tree.create(server, root, "running");
        String a1 = Tree.create(server, a, "running");
        String a1x = Tree.create(server, a1, "pending");
        String a2 = Tree.create(server, a, "running");
        String a3 = Tree.create(server, a, "queued");
        String b = Tree.create(server, root, "running");
        String c = Tree.create(server, root, "pending");
        String c1 = Tree.create(server, c, "running");
        String c1x = Tree.create(server, c1, "running");
        String c1y = Tree.create(server, c1, "running");
        Tree.complete(server, a2);
        Tree.failJob(server, b);
        Tree.failJob(server, c1y);
        Tree.progress(server, c1x, "{\"percent\":40}");

        Map<String, String> expected = new LinkedHashMap<>();
        for (String id : List.of(root, a, a1, a1x, a3, c, c1, c1x)) {
            expected.put(id, "cancelled");
        }
        expected.put(a2, "completed");
        expected.put(b, "failed");
        expected.put(c1y, "failed");
        Map<String, JsonNode> before = new LinkedHashMap<>();
        for (String id : List.of(a2, b, c1y)) {
            before.put(id, Tree.job(server, id));
        }

        Set<String> cancelledOnStream = new HashSet<>();
        try (SseClient sse = Tree.open(server, "/api/v1/jobs/" + root + "/events?descendants=true")) {
            Tree.snapshots(sse, expected.size());
            JsonNode answer = Tree.cancel(server, root);
            assertThat(answer.get("id").asText()).isEqualTo(root);
            assertThat(answer.get("status").asText()).isEqualTo("cancelled");

            // the cascade is one step, done when the cancel is answered: read back at once
            expected.forEach((id, status) ->
                    assertThat(Tree.status(server, id)).as("status of %s", id).isEqualTo(status));
            before.forEach((id, job) ->
                    assertThat(Tree.job(server, id)).as("finished job %s untouched", id).isEqualTo(job));

            // every cancellation reaches a reader of the subtree
            Set<String> mustSee = new HashSet<>();
            expected.forEach((id, status) -> {
                if (status.equals("cancelled")) {
                    mustSee.add(id);
                }
            });
            List<SseClient.Event> seen = new ArrayList<>();
            while (!cancelledOnStream.containsAll(mustSee)) {
                SseClient.Event e = Tree.until(sse, x -> x.event().equals("status")).stream()
                        .reduce((x, y) -> y).orElseThrow();
                seen.add(e);
                assertThat(Tree.data(e).get("to").asText()).as("status event %s", e.data()).isEqualTo("cancelled");
                cancelledOnStream.add(Tree.jobId(e));
            }
            assertThat(cancelledOnStream).isEqualTo(mustSee);
        }

        // every worker of a cancelled job learns it on its next write
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String id = e.getKey();
            if (id.equals(root)) {
                continue;
            }
            Map<String, HttpResponse<String>> writes = new LinkedHashMap<>();
            writes.put("progress", Tree.post(server, id, "progress", "{\"percent\":50}"));
            writes.put("log", Tree.post(server, id, "logs", "{\"level\":\"info\",\"message\":\"still here\"}"));
            writes.put("heartbeat", Tree.post(server, id, "heartbeat", "{}"));
            writes.put("child", server.post(Tree.JOBS, Tree.body("late", id, "running").toString()));
            writes.forEach((what, r) -> {
                JsonNode err = Tree.error(r, 409, "job_finished");
                assertThat(err.path("status").asText(null)).as("%s to %s job %s: %s", what, e.getValue(), id,
                        r.body()).isEqualTo(e.getValue());
            });
        }

        // the summaries settle on the final counts
        Tree.eventually(server, root, job -> assertThat(job.at("/children/text").asText())
                .isEqualTo("0 pending, 0 running, 0 completed, 1 failed, 2 cancelled"));
        Tree.eventually(server, a, job -> assertThat(job.at("/children/text").asText())
                .isEqualTo("0 pending, 0 running, 1 completed, 0 failed, 2 cancelled"));
        Tree.eventually(server, c1, job -> assertThat(job.at("/children/text").asText())
                .isEqualTo("0 pending, 0 running, 0 completed, 1 failed, 1 cancelled"));
    }

    @Test
    void cancellingAMiddleJobLeavesItsParentAndSiblingsRunning() {
        String root = Tree.root(server);
        String mid = Tree.create(server, root, "running");
        String sibling = Tree.create(server, root, "running");
        String leaf = Tree.create(server, mid, "running");
        String deep = Tree.create(server, leaf, "running");
        Tree.cancel(server, mid);
        assertThat(Tree.status(server, mid)).isEqualTo("cancelled");
        assertThat(Tree.status(server, leaf)).isEqualTo("cancelled");
        assertThat(Tree.status(server, deep)).isEqualTo("cancelled");
        assertThat(Tree.status(server, root)).isEqualTo("running");
        assertThat(Tree.status(server, sibling)).isEqualTo("running");
        Tree.progress(server, sibling, "{\"percent\":10}");
        Tree.eventually(server, root, job -> assertThat(job.at("/children/text").asText())
                .isEqualTo("0 pending, 1 running, 0 completed, 0 failed, 1 cancelled"));
    }

    @Test
    void cancellingAFinishedJobIsRefusedAndCancelsNothingBelowIt() {
        String parent = Tree.root(server);
        String kid = Tree.create(server, parent, "running");
        String grandkid = Tree.create(server, kid, "running");
        Tree.complete(server, parent); // its reporter finished it; the children still run
        JsonNode before = Tree.job(server, parent);

        JsonNode e = Tree.error(Tree.post(server, parent, "cancel", "{}"), 409, "job_finished");
        assertThat(e.path("status").asText(null)).isEqualTo("completed");
        assertThat(Tree.status(server, kid)).isEqualTo("running");
        assertThat(Tree.status(server, grandkid)).isEqualTo("running");
        assertThat(Tree.job(server, parent).get("status")).isEqualTo(before.get("status"));

        // the running child can still be cancelled by itself, with its own child
        Tree.cancel(server, kid);
        assertThat(Tree.status(server, grandkid)).isEqualTo("cancelled");
    }

    /**
     * Workers keep adding jobs at every level of a tree while its root is cancelled. Whatever
     * the interleaving, afterwards no descendant may be left unfinished under the cancelled root:
     * each job created before the cascade reached its parent is cancelled with it, and each
     * later attempt is refused with 409.
     */
    @Test
    void aCancelRacingChildCreationsLeavesNoUnfinishedDescendant() throws Exception {
        for (int round = 0; round < 10; round++) {
            String root = Tree.root(server);
            List<String> tops = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                tops.add(Tree.create(server, root, "running"));
            }
            List<String> known = java.util.Collections.synchronizedList(new ArrayList<>(tops));
            AtomicInteger created = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            Set<String> refusedParents = ConcurrentHashMap.newKeySet();
            ExecutorService workers = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int w = 0; w < 4; w++) {
                    done.add(workers.submit(() -> {
                        while (!stop.get()) {
                            String parent = known.get(ThreadLocalRandom.current().nextInt(known.size()));
                            HttpResponse<String> r = server.post(Tree.JOBS,
                                    Tree.body("racer", parent, "running").toString());
                            if (r.statusCode() == 201) {
                                known.add(Tree.json(r).get("id").asText());
                                created.incrementAndGet();
                            } else {
                                assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
                                refusedParents.add(parent);
                            }
                        }
                        return null;
                    }));
                }
                await().atMost(Tree.SETTLE).until(() -> created.get() >= 40);
                Tree.cancel(server, root);
                // let the workers hit the cancelled tree for a moment, then stop them
                await().atMost(Tree.SETTLE).until(() -> refusedParents.size() >= 4);
                stop.set(true);
                for (Future<?> f : done) {
                    f.get(30, TimeUnit.SECONDS);
                }
            } finally {
                workers.shutdownNow();
            }
            String cancelledAt = Tree.job(server, root).get("finishedAt").asText();
            List<String> unfinished = new ArrayList<>();
            List<String> escaped = new ArrayList<>();
            for (String id : new ArrayList<>(known)) {
                JsonNode job = Tree.job(server, id);
                String status = job.get("status").asText();
                if (!status.equals("cancelled")) {
                    JsonNode parent = Tree.job(server, job.get("parentId").asText());
                    unfinished.add(id + " (" + status + ", parent " + parent.get("id").asText() + ")");
                    if (parent.get("status").asText().equals("cancelled")) {
                        // the first unfinished job of a branch: its parent was cancelled, it was not
                        escaped.add(id + " created " + job.get("createdAt").asText() + " under " + parent.get("id")
                                .asText() + " cancelled " + parent.get("finishedAt").asText());
                    }
                }
            }
            assertThat(unfinished).as("round %d: %d of %d descendants of the root %s (cancelled %s) were left "
                            + "unfinished; each branch starts at a job whose parent was cancelled but it was not: %s",
                    round, unfinished.size(), known.size(), root, cancelledAt, escaped).isEmpty();
        }
    }
}
