package dev.herald.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.support.JobsOverRest;
import dev.herald.server.support.KilledServers;
import dev.herald.server.support.SseClient;
import dev.herald.server.support.TestServer;
import dev.herald.server.support.TestSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * A {@code completeWithChildren} parent on two nodes of a cluster with Redis between them (docs/cluster.md §5, §8.3):
 * children created and completed through the node that does not own the tree finish the parent once, as a reader on
 * that node sees it, also when the owner is killed afterwards and the other node takes the tree over.
 */
class ClusterParentsTest extends JobsOverRest {
    private final TestSchema schema = new TestSchema("herald_parents_");
    private final String cluster = "parents-" + schema.suffix();
    private final String bus = "redis://127.0.0.1:6379/" + cluster;

    @AfterEach
    void dropSchema() throws Exception {
        schema.drop();
    }

    private TestServer node() {
        return TestServer.inCluster(new ClusterOptions(cluster, "127.0.0.1", 0, null),
                o -> o.withStore(schema.store()).withBus(bus));
    }

    @Test
    void childrenCompletedThroughTheOtherNodeFinishTheParentOnce() {
        try (TestServer a = node(); TestServer b = node()) {
            String root = createWith(a, "{\"type\":\"import\",\"status\":\"running\"}");
            try (SseClient reader = SseClient.open(b, "/api/v1/jobs/" + root + "/events?descendants=true")) {
                List<SseClient.Event> events = new ArrayList<>(until(reader, e -> e.event().equals("snapshot")));
                String parent = runChildrenThrough(b, root, reader, events);

                log(b, root, "after");
                events.addAll(until(reader, e -> e.event().equals("log")
                        && tree(e.data()).at("/log/message").asText().equals("after")));
                assertFinishedOnce(events, parent);
            }
        }
    }

    @Test
    void theParentStaysFinishedOnceWhenItsOwnerIsKilledAndTheTreeTakenOver() throws Exception {
        try (KilledServers processes = new KilledServers(HttpClient.newHttpClient()); TestServer b = node()) {
            // without a bus of its own (a JVM starting a Redis client is slow on a loaded machine): B reads A's
            // status events from the store, as after a loss of bus messages (docs/cluster.md §4.4)
            KilledServers.Server a = processes.launch(processes.dataFolder(), schema.store(), cluster);
            String root = tree(processes.post(a, "/api/v1/jobs", "{\"type\":\"import\",\"status\":\"running\"}")
                    .body()).get("id").asText();
            try (SseClient reader = SseClient.open(b, "/api/v1/jobs/" + root + "/events?descendants=true")) {
                List<SseClient.Event> events = new ArrayList<>(until(reader, e -> e.event().equals("snapshot")));
                String parent = runChildrenThrough(b, root, reader, events);
                KilledServers.kill(a);

                // B takes the tree over (unclean: the gap) and goes on with it. Its first write may still go to A on
                // the connection A's death is closing: unanswered, so 503 and a retry, as any client does (§2.5)
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    HttpResponse<String> r = b.post("/api/v1/jobs/" + root + "/progress", "{\"current\":1}");
                    assertThat(r.statusCode()).as(r.body()).isIn(202, 503);
                    return r.statusCode() == 202;
                });
                String late = createWith(b, "{\"type\":\"part\",\"parentId\":\"" + root + "\",\"status\":\"running\"}");
                action(b, late, "complete", "{}");
                log(b, root, "after");
                events.addAll(until(reader, e -> e.event().equals("log")
                        && tree(e.data()).at("/log/message").asText().equals("after")));
                assertFinishedOnce(events, parent);
                HttpResponse<String> again = b.post("/api/v1/jobs/" + parent + "/complete", "{}");
                assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
                assertThat(metric(b, "herald_cluster_takeovers_total", "kind=\"unclean\"")).isEqualTo(1.0);
            }
        }
    }

    /**
     * Through {@code node}: a {@code completeWithChildren} parent under the root, three children created, started and
     * completed; returns once the reader saw the parent complete. Answers the parent's id.
     */
    private static String runChildrenThrough(TestServer node, String root, SseClient reader,
                                             List<SseClient.Event> events) {
        String parent = createWith(node, "{\"type\":\"batch\",\"parentId\":\"" + root
                + "\",\"completeWithChildren\":true,\"status\":\"running\"}");
        List<String> children = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            children.add(createWith(node, "{\"type\":\"part\",\"parentId\":\"" + parent + "\"}"));
        }
        for (String child : children) {
            action(node, child, "start", "{}");
            action(node, child, "complete", "{\"result\":{\"ok\":true}}");
        }
        events.addAll(until(reader, e -> e.event().equals("status") && jobOf(e).equals(parent)
                && tree(e.data()).path("to").asText().equals("completed")));
        return parent;
    }

    /** One {@code completed} status of the parent; each job's states in strictly increasing versions. */
    private static void assertFinishedOnce(List<SseClient.Event> events, String parent) {
        assertThat(events.stream().filter(e -> e.event().equals("status") && jobOf(e).equals(parent)
                && tree(e.data()).path("to").asText().equals("completed"))).hasSize(1);
        Map<String, Long> versions = new HashMap<>();
        for (SseClient.Event e : events) {
            if (e.event().equals("log") || e.event().equals("snapshot")) {
                continue;
            }
            long version = tree(e.data()).path("version").asLong();
            Long before = versions.put(jobOf(e), version);
            assertThat(version).as(e.event() + " of " + jobOf(e) + " in " + events)
                    .isGreaterThan(before == null ? 0 : before);
        }
    }

    private static String jobOf(SseClient.Event e) {
        JsonNode d = tree(e.data());
        return d.has("job") ? d.at("/job/id").asText() : d.path("jobId").asText();
    }

    /** Events up to and including the first that matches, failing when it does not come within the wait. */
    private static List<SseClient.Event> until(SseClient sse, Predicate<SseClient.Event> last) {
        List<SseClient.Event> out = new ArrayList<>();
        while (true) {
            SseClient.Event e = sse.next(WAIT);
            if (e == null) {
                fail("the awaited event did not come (stream ended: " + sse.ended() + "); got " + out);
            }
            out.add(e);
            if (last.test(e)) {
                return out;
            }
        }
    }
}
