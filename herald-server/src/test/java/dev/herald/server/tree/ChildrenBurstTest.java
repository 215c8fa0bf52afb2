package dev.herald.server.tree;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.support.SseClient;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * 5 000 children of one parent, created over a few connections and then completed in a
 * burst by several threads: the parent ends with exact counts, and its readers get a
 * bounded number of {@code children} events (summaries are coalesced), not one per child.
 */
class ChildrenBurstTest {
    private static final int CHILDREN = 5_000;
    private static final int CREATORS = 4;
    private static final int COMPLETERS = 8;
    /** Far fewer than one per child; the coalescing ticks every 50 ms, so a few seconds of burst make dozens. */
    private static final int MAX_CHILDREN_EVENTS = 500;
    private static final Duration LONG_WAIT = Duration.ofSeconds(30);
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Runs the tasks on {@code threads} threads, each with its own HTTP/1.1 client (its own connections). */
    private static <T> List<T> onThreads(int threads, List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> t : tasks) {
                futures.add(pool.submit(t));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get(60, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static HttpResponse<String> post(HttpClient http, String path, String body) throws Exception {
        HttpRequest req = server.request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** Reads events until one matches; answers how many {@code children} events of the job came, that one included. */
    private static int countChildrenEventsUntil(SseClient sse, String jobId, Predicate<JsonNode> last) {
        int children = 0;
        long deadline = System.nanoTime() + LONG_WAIT.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            SseClient.Event e = left <= 0 ? null : sse.next(Duration.ofNanos(left));
            if (e == null) {
                return fail("the awaited summary did not reach the reader within " + LONG_WAIT + " (stream ended: "
                        + sse.ended() + ") after " + children + " children events");
            }
            JsonNode d = Tree.data(e);
            assertThat(d.get("jobId").asText()).isEqualTo(jobId);
            if (e.event().equals("children")) {
                children++;
            }
            JsonNode job = d.get("job");
            if (job != null && last.test(job)) {
                return children;
            }
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aBurstOfFiveThousandCompletionsEndsExactWithFewSummaryEvents() throws Exception {
        String parent = Tree.root(server);
        try (SseClient sse = Tree.open(server, "/api/v1/jobs/" + parent + "/events")) {
            assertThat(Tree.next(sse).event()).isEqualTo("snapshot");

            // create the children over a few connections
            List<Callable<List<String>>> creators = new ArrayList<>();
            for (int c = 0; c < CREATORS; c++) {
                int share = CHILDREN / CREATORS + (c < CHILDREN % CREATORS ? 1 : 0);
                creators.add(() -> {
                    HttpClient http = client();
                    List<String> ids = new ArrayList<>(share);
                    String body = Tree.body("burst-child", parent, "running").toString();
                    for (int i = 0; i < share; i++) {
                        HttpResponse<String> r = post(http, Tree.JOBS, body);
                        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
                        ids.add(Tree.json(r).get("id").asText());
                    }
                    return ids;
                });
            }
            long t0 = System.nanoTime();
            List<String> children = onThreads(CREATORS, creators).stream().flatMap(List::stream).toList();
            long created = System.nanoTime();
            assertThat(children).hasSize(CHILDREN).doesNotHaveDuplicates();

            int creationEvents = countChildrenEventsUntil(sse, parent,
                    job -> job.at("/children/total").asInt() == CHILDREN
                            && job.at("/children/running").asInt() == CHILDREN);
            await().atMost(LONG_WAIT).untilAsserted(() -> assertThat(Tree.job(server, parent).at("/children/text")
                    .asText()).isEqualTo("0 pending, " + CHILDREN + " running, 0 completed, 0 failed"));

            // complete them all in a burst
            List<Callable<Integer>> completers = new ArrayList<>();
            for (int c = 0; c < COMPLETERS; c++) {
                int from = c;
                completers.add(() -> {
                    HttpClient http = client();
                    int n = 0;
                    for (int i = from; i < children.size(); i += COMPLETERS) {
                        HttpResponse<String> r = post(http, Tree.JOBS + "/" + children.get(i) + "/complete", "{}");
                        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                        n++;
                    }
                    return n;
                });
            }
            long b0 = System.nanoTime();
            int completed = onThreads(COMPLETERS, completers).stream().mapToInt(Integer::intValue).sum();
            long b1 = System.nanoTime();
            assertThat(completed).isEqualTo(CHILDREN);

            int burstEvents = countChildrenEventsUntil(sse, parent,
                    job -> job.at("/children/completed").asInt() == CHILDREN);
            long seen = System.nanoTime();
            System.out.printf("ChildrenBurstTest: %d children created in %d ms with %d children events on the "
                            + "parent's stream; completed in %d ms with %d children events (%d ms from the last "
                            + "completion's answer to the reader having the final summary)%n",
                    CHILDREN, (created - t0) / 1_000_000, creationEvents, (b1 - b0) / 1_000_000, burstEvents,
                    (seen - b1) / 1_000_000);

            assertThat(creationEvents).as("children events while %d children were created", CHILDREN)
                    .isBetween(1, MAX_CHILDREN_EVENTS);
            assertThat(burstEvents).as("children events while %d children completed", CHILDREN)
                    .isBetween(1, MAX_CHILDREN_EVENTS);
        }

        Tree.eventually(server, parent, job -> {
            JsonNode ch = job.get("children");
            assertThat(ch.get("total").asInt()).isEqualTo(CHILDREN);
            assertThat(ch.get("completed").asInt()).isEqualTo(CHILDREN);
            for (String f : new String[]{"pending", "queued", "running", "failed", "cancelled"}) {
                assertThat(ch.get(f).asInt()).as(f).isZero();
            }
            assertThat(ch.get("percent").asDouble()).isEqualTo(100.0);
            assertThat(ch.get("text").asText()).isEqualTo("0 pending, 0 running, " + CHILDREN + " completed, 0 failed");
        });
        assertThat(Tree.status(server, parent)).as("no completeWithChildren: the parent stays open")
                .isEqualTo("running");
        // the listing agrees
        HttpResponse<String> page = server.get(Tree.JOBS + "/" + parent + "/children?status=running&limit=10");
        assertThat(Tree.json(page).get("items")).isEmpty();
    }
}
