package dev.herald.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.support.JobsOverRest;
import dev.herald.server.support.TestServer;
import dev.herald.server.support.TestSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Claims (API §9) on two nodes of one cluster (docs/cluster.md §14, part 5): a job picked on a node that does not own
 * its tree moves to running on the owner; workers on both nodes run every job exactly once, none left held.
 */
class ClusterClaimsTest extends JobsOverRest {
    private static final int WORKERS = 6;
    private final TestSchema schema = new TestSchema("herald_claimc_");

    @AfterEach
    void dropSchema() throws Exception {
        schema.drop();
    }

    private TestServer node() {
        return TestServer.inCluster(new ClusterOptions("claims", "127.0.0.1", 0, null), o -> o.withStore(schema.store()));
    }

    @Test
    void workersOnBothNodesRunEveryJobOfBothNodesTreesExactlyOnce() throws Exception {
        try (TestServer a = node(); TestServer b = node()) {
            List<String> ids = new ArrayList<>();
            for (TestServer owner : List.of(a, b)) {
                String batch = createWith(owner, "{\"type\":\"batch\"}");
                for (int i = 0; i < 12; i++) {
                    ids.add(createWith(owner, "{\"type\":\"work\",\"status\":\"queued\"}"));
                    // children created through the other node join the owner's tree
                    ids.add(createWith(owner == a ? b : a, "{\"type\":\"work\",\"status\":\"queued\",\"parentId\":\""
                            + batch + "\"}"));
                }
            }
            List<String> claimed = Collections.synchronizedList(new ArrayList<>());
            List<String> completed = Collections.synchronizedList(new ArrayList<>());
            ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
            try {
                List<Future<?>> running = new ArrayList<>();
                for (int w = 0; w < WORKERS; w++) {
                    TestServer node = w % 2 == 0 ? a : b;
                    boolean chained = w % 3 == 0;
                    String worker = "w" + w;
                    running.add(workers.submit(() -> work(node, worker, chained, ids.size(), claimed, completed)));
                }
                for (Future<?> f : running) {
                    // a job held by a claim that could not move it to running would come back only after its lease
                    f.get(100, TimeUnit.SECONDS);
                }
            } finally {
                workers.shutdownNow();
            }
            assertThat(claimed).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
            assertThat(completed).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
            for (String id : ids) {
                JsonNode job = job(a, id);
                assertThat(job.get("status").asText()).isEqualTo("completed");
                assertThat(job.get("attempt").asInt()).as(id).isEqualTo(1);
            }
            assertThat(metric(a, "herald_cluster_forwarded_total", "direction=\"in\"")).isPositive();
            assertThat(metric(b, "herald_cluster_forwarded_total", "direction=\"in\"")).isPositive();
        }
    }

    /** Claims and completes jobs through {@code node} until all are completed; {@code chained}: completions claim. */
    private static void work(TestServer node, String worker, boolean chained, int total, List<String> claimed,
                             List<String> completed) {
        String claim = "{\"types\":[\"work\"],\"worker\":\"" + worker + "\",\"leaseMs\":120000}";
        Deque<JsonNode> mine = new ArrayDeque<>();
        while (completed.size() < total) {
            if (mine.isEmpty()) {
                HttpResponse<String> r = node.post("/api/v1/jobs:claim", claim.replace("}", ",\"waitMs\":200}"));
                assertThat(r.statusCode()).as(r.body()).isIn(200, 204);
                if (r.statusCode() == 200) {
                    mine.add(tree(r.body()));
                    claimed.add(tree(r.body()).get("id").asText());
                }
                continue;
            }
            JsonNode job = mine.poll();
            String id = job.get("id").asText();
            String body = chained ? "{\"result\":{\"by\":\"" + worker + "\"},\"claim\":" + claim + "}"
                    : "{\"result\":{\"by\":\"" + worker + "\"}}";
            HttpResponse<String> r = node.send(node.request("/api/v1/jobs/" + id + "/complete")
                    .header("Content-Type", "application/json")
                    .header("Lease-Token", job.get("lease").get("token").asText())
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            completed.add(id);
            if (chained) {
                for (JsonNode next : tree(r.body()).get("next")) {
                    mine.add(next);
                    claimed.add(next.get("id").asText());
                }
            }
        }
    }
}
