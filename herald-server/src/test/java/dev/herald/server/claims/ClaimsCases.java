package dev.herald.server.claims;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.core.time.SettableClock;
import dev.herald.server.ServerOptions;
import dev.herald.server.support.SseClient;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Claims and leases over the wire (API §9), on a real server whose clock the tests move: lease expiry and
 * delayed retries happen when the clock says, never after a sleep. Each store runs these cases.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ClaimsCases {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String API = "/api/v1";

    final SettableClock clock = new SettableClock(Instant.parse("2026-12-07T06:00:00.000Z"));
    TestServer server;

    /** How the server is made: its store. */
    abstract UnaryOperator<ServerOptions> store();

    @BeforeAll
    void startServer() {
        server = TestServer.onClock(clock, store());
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    /** A job type of this test alone, so claims never meet another test's jobs. */
    static String newType() {
        return "work-" + UUID.randomUUID().toString().substring(0, 8);
    }

    String queued(String type, String extra) {
        HttpResponse<String> r = server.post(API + "/jobs", "{\"type\":\"" + type + "\",\"status\":\"queued\""
                + extra + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r).get("id").asText();
    }

    HttpResponse<String> claim(String type, String worker, long leaseMs, long waitMs) {
        return server.post(API + "/jobs:claim", "{\"types\":[\"" + type + "\"],\"worker\":\"" + worker
                + "\",\"leaseMs\":" + leaseMs + ",\"waitMs\":" + waitMs + "}");
    }

    JsonNode claimed(String type, String worker, long leaseMs) {
        HttpResponse<String> r = claim(type, worker, leaseMs, 0);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r);
    }

    HttpResponse<String> write(String id, String action, String body, String token) {
        HttpRequest.Builder b = server.request(API + "/jobs/" + id + "/" + action)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Lease-Token", token);
        }
        return server.send(b.build());
    }

    JsonNode job(String id) {
        return json(server.get(API + "/jobs/" + id));
    }

    static JsonNode json(HttpResponse<String> r) {
        return json(r.body());
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Instant time(JsonNode text) {
        return Instant.parse(text.asText());
    }

    static void refused(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(json(r).at("/error/code").asText()).as(r.body()).isEqualTo(code);
    }

    @Test
    void twentyConcurrentClaimersTakeEveryJobExactlyOnce() throws Exception {
        String type = newType();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(queued(type, ""));
        }
        List<JsonNode> taken = Collections.synchronizedList(new ArrayList<>());
        ExecutorService claimers = Executors.newFixedThreadPool(20);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < 20; c++) {
                String worker = "w" + c;
                running.add(claimers.submit(() -> {
                    HttpResponse<String> r;
                    while ((r = claim(type, worker, 60_000, 0)).statusCode() == 200) {
                        taken.add(json(r));
                    }
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
                }));
            }
            for (Future<?> f : running) {
                f.get(2, TimeUnit.MINUTES);
            }
        } finally {
            claimers.shutdown();
        }
        assertThat(taken).extracting(j -> j.get("id").asText())
                .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
        for (JsonNode j : taken) {
            assertThat(j.get("status").asText()).isEqualTo("running");
            assertThat(j.get("attempt").asInt()).isEqualTo(1);
            assertThat(j.at("/lease/token").asText()).startsWith("lt_");
            JsonNode stored = job(j.get("id").asText());
            assertThat(stored.at("/lease/worker").asText()).isEqualTo(j.at("/lease/worker").asText());
            assertThat(stored.at("/lease/token").isMissingNode()).as("the token is the claimer's alone").isTrue();
        }
    }

    @Test
    void aClaimWithALimitTakesUpToThatManyJobsOldestFirstEachUnderItsOwnLease() {
        String type = newType();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(queued(type, ""));
        }
        String body = "{\"types\":[\"" + type + "\"],\"worker\":\"w\",\"limit\":3}";
        HttpResponse<String> first = server.post(API + "/jobs:claim", body);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        JsonNode jobs = json(first).get("jobs");
        assertThat(jobs).hasSize(3);
        assertThat(jobs).extracting(j -> j.at("/lease/token").asText()).doesNotHaveDuplicates()
                .allSatisfy(token -> assertThat(token).startsWith("lt_"));
        for (JsonNode j : jobs) {
            assertThat(j.get("status").asText()).isEqualTo("running");
            String token = j.at("/lease/token").asText();
            assertThat(write(j.get("id").asText(), "complete", "{}", token).statusCode()).isEqualTo(200);
        }
        JsonNode rest = json(server.post(API + "/jobs:claim", body)).get("jobs");
        List<String> order = new ArrayList<>();
        jobs.forEach(j -> order.add(j.get("createdAt").asText() + " " + j.get("id").asText()));
        rest.forEach(j -> order.add(j.get("createdAt").asText() + " " + j.get("id").asText()));
        assertThat(order).as("oldest first (by creation, then id), the oldest in the first claim").isSorted()
                .extracting(o -> o.substring(o.indexOf(' ') + 1)).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(server.post(API + "/jobs:claim", body).statusCode()).as("none left").isEqualTo(204);
    }

    /** A completion of {@code id} as its worker, claiming the worker's next job of {@code type}. */
    HttpResponse<String> completeAndClaim(String id, String token, String type, String extra) {
        return write(id, "complete", "{\"result\":{\"n\":1},\"claim\":{\"types\":[\"" + type
                + "\"],\"worker\":\"w\"" + extra + "}}", token);
    }

    @Test
    void aCompletionThatClaimsAnswersTheCompletedJobAndTheNextUnderItsOwnLease() {
        String type = newType();
        List<String> ids = List.of(queued(type, ""), queued(type, ""));
        JsonNode held = claimed(type, "w", 60_000);
        String first = held.get("id").asText();
        String second = ids.get(0).equals(first) ? ids.get(1) : ids.get(0);
        HttpResponse<String> r = completeAndClaim(first, held.at("/lease/token").asText(), type, "");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode done = json(r);
        assertThat(done.at("/job/id").asText()).isEqualTo(first);
        assertThat(done.at("/job/status").asText()).isEqualTo("completed");
        assertThat(done.at("/job/result/n").asInt()).isEqualTo(1);
        assertThat(done.at("/job/lease").isNull()).as(r.body()).isTrue();
        assertThat(done.get("next")).hasSize(1);
        JsonNode next = done.get("next").get(0);
        assertThat(next.get("id").asText()).isEqualTo(second);
        assertThat(next.get("status").asText()).isEqualTo("running");
        assertThat(next.at("/lease/worker").asText()).isEqualTo("w");
        String token = next.at("/lease/token").asText();
        assertThat(token).startsWith("lt_").isNotEqualTo(held.at("/lease/token").asText());
        assertThat(job(first).get("status").asText()).isEqualTo("completed");

        HttpResponse<String> last = completeAndClaim(second, token, type, ",\"leaseMs\":5000,\"limit\":3");
        assertThat(last.statusCode()).as(last.body()).isEqualTo(200);
        assertThat(json(last).get("next")).as("none queued").isEmpty();
        assertThat(job(second).get("status").asText()).isEqualTo("completed");
    }

    @Test
    void aCompletionRefusedTakesNoJob() {
        String type = newType();
        String id = queued(type, "");
        JsonNode held = claimed(type, "w", 60_000);
        String waiting = queued(type, "");
        refused(completeAndClaim(id, "lt_not-the-lease", type, ""), 409, "lease_lost");
        refused(completeAndClaim(queued(newType(), ""), null, type, ",\"limit\":0"), 400, "invalid_field");
        assertThat(job(id).get("status").asText()).isEqualTo("running");
        // a job taken beside a completion refused later (a store fault) goes back, its attempt not counted
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(job(waiting).get("status").asText()).isEqualTo("queued"));
        JsonNode other = claimed(type, "other", 60_000);
        assertThat(other.get("id").asText()).isEqualTo(waiting);
        assertThat(other.get("attempt").asInt()).isEqualTo(1);
        assertThat(write(id, "complete", "{}", held.at("/lease/token").asText()).statusCode()).isEqualTo(200);
    }

    @Test
    void workersWhoseCompletionsClaimTakeEveryJobExactlyOnce() throws Exception {
        String type = newType();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(queued(type, ""));
        }
        List<String> taken = Collections.synchronizedList(new ArrayList<>());
        ExecutorService workers = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                running.add(workers.submit(() -> {
                    HttpResponse<String> r = claim(type, "w", 60_000, 0);
                    JsonNode job = r.statusCode() == 200 ? json(r) : null;
                    while (job != null) {
                        taken.add(job.get("id").asText());
                        HttpResponse<String> done = completeAndClaim(job.get("id").asText(),
                                job.at("/lease/token").asText(), type, "");
                        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
                        JsonNode next = json(done).get("next");
                        job = next.isEmpty() ? null : next.get(0);
                    }
                }));
            }
            for (Future<?> f : running) {
                f.get(2, TimeUnit.MINUTES);
            }
        } finally {
            workers.shutdown();
        }
        assertThat(taken).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
        for (String id : ids) {
            JsonNode stored = job(id);
            assertThat(stored.get("status").asText()).isEqualTo("completed");
            assertThat(stored.get("attempt").asInt()).isEqualTo(1);
        }
    }

    @Test
    void badCompletionClaimsAreRefusedWith400AndCompleteNothing() {
        String id = queued(newType(), "");
        String[] bad = {
            "{\"claim\":1}", "{\"claim\":[]}", "{\"claim\":{}}", "{\"claim\":{\"types\":[\"t\"]}}",
            "{\"claim\":{\"worker\":\"w\"}}", "{\"claim\":{\"types\":[],\"worker\":\"w\"}}",
            "{\"claim\":{\"types\":[\"t\"],\"worker\":\"w\",\"waitMs\":10}}",
            "{\"claim\":{\"types\":[\"t\"],\"worker\":\"w\",\"leaseMs\":10}}",
            "{\"claim\":{\"types\":[\"t\"],\"worker\":\"w\",\"limit\":101}}",
            "{\"claim\":{\"types\":[\"t\"],\"worker\":\"w\",\"limit\":\"1\"}}",
            "{\"claim\":{\"types\":[\"t\"],\"worker\":\"w\",\"other\":1}}",
        };
        for (String body : bad) {
            HttpResponse<String> r = write(id, "complete", body, null);
            assertThat(r.statusCode()).as("%s -> %s", body, r.body()).isEqualTo(400);
            assertThat(json(r).at("/error/code").asText()).as(body).isEqualTo("invalid_field");
            assertThat(json(r).at("/error/field").asText()).as(body).startsWith("claim");
        }
        assertThat(job(id).get("status").asText()).isEqualTo("queued");
    }

    @Test
    void aWaitingClaimWithALimitIsAnsweredWithTheJobsThatCame() throws Exception {
        String type = newType();
        String body = "{\"types\":[\"" + type + "\"],\"worker\":\"w\",\"waitMs\":20000,\"limit\":4}";
        CompletableFuture<HttpResponse<String>> waiting =
                CompletableFuture.supplyAsync(() -> server.post(API + "/jobs:claim", body));
        String id = queued(type, "");
        HttpResponse<String> r = waiting.get(30, TimeUnit.SECONDS);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get("jobs")).extracting(j -> j.get("id").asText()).contains(id);
    }

    @Test
    void anExpiredLeaseRequeuesTheJobAndTheOldWorkerHearsLeaseLost() {
        String type = newType();
        String id = queued(type, ",\"maxAttempts\":2");
        JsonNode first = claimed(type, "worker-a", 5_000);
        String oldToken = first.at("/lease/token").asText();
        assertThat(time(first.at("/lease/expiresAt"))).isEqualTo(clock.instant().plusMillis(5_000));

        clock.advance(Duration.ofMillis(5_000));
        await().atMost(Duration.ofSeconds(10)).until(() -> job(id).get("status").asText().equals("queued"));
        JsonNode requeued = job(id);
        assertThat(requeued.get("attempt").asInt()).isEqualTo(2);
        assertThat(requeued.get("lease").isNull()).isTrue();
        refused(write(id, "progress", "{\"percent\":10}", oldToken), 409, "lease_lost");

        JsonNode second = claimed(type, "worker-b", 5_000);
        assertThat(second.get("id").asText()).isEqualTo(id);
        assertThat(second.get("attempt").asInt()).isEqualTo(2);
        refused(write(id, "heartbeat", "", oldToken), 409, "lease_lost");
        refused(write(id, "complete", "{}", oldToken), 409, "lease_lost");
        String token = second.at("/lease/token").asText();
        assertThat(write(id, "progress", "{\"percent\":50}", token).statusCode()).isEqualTo(202);
        assertThat(write(id, "complete", "{}", token).statusCode()).isEqualTo(200);
    }

    @Test
    void aLeaseThatExpiresInTheLastAttemptFailsTheJobWithAStatusEvent() {
        String type = newType();
        String id = queued(type, "");
        String token = claimed(type, "worker-a", 2_000).at("/lease/token").asText();
        try (SseClient sse = SseClient.open(server, API + "/jobs/" + id + "/events?types=status")) {
            assertThat(sse.next(Duration.ofSeconds(10)).event()).isEqualTo("snapshot");
            clock.advance(Duration.ofMillis(2_000));
            SseClient.Event status = sse.next(Duration.ofSeconds(10));
            assertThat(status.event()).isEqualTo("status");
            JsonNode data = json(status.data());
            assertThat(data.get("from").asText()).isEqualTo("running");
            assertThat(data.get("to").asText()).isEqualTo("failed");
            assertThat(data.at("/job/error/code").asText()).isEqualTo("lease_expired");
        }
        refused(write(id, "progress", "{\"percent\":10}", token), 409, "lease_lost");
        refused(write(id, "fail", "{\"error\":{\"message\":\"late\"}}", token), 409, "lease_lost");
    }

    @Test
    void writesWithTheTokenExtendTheLeaseAndWritesWithoutItWorkButExtendNothing() {
        String type = newType();
        String id = queued(type, "");
        String token = claimed(type, "worker-a", 10_000).at("/lease/token").asText();

        clock.advance(Duration.ofMillis(4_000));
        assertThat(write(id, "progress", "{\"percent\":20}", null).statusCode()).as("a tool without the token")
                .isEqualTo(202);
        assertThat(time(job(id).at("/lease/expiresAt"))).isEqualTo(clock.instant().plusMillis(6_000));
        assertThat(write(id, "logs", "{\"level\":\"info\",\"message\":\"m\"}", token).statusCode()).isEqualTo(202);
        assertThat(time(job(id).at("/lease/expiresAt"))).isEqualTo(clock.instant().plusMillis(10_000));
        clock.advance(Duration.ofMillis(4_000));
        long version = job(id).get("version").asLong();
        assertThat(write(id, "heartbeat", "", token).statusCode()).isEqualTo(204);
        JsonNode beaten = job(id);
        assertThat(time(beaten.at("/lease/expiresAt"))).isEqualTo(clock.instant().plusMillis(10_000));
        assertThat(beaten.get("version").asLong()).as("a new lease end is a change").isGreaterThan(version);
        refused(write(id, "progress", "{\"percent\":30}", "lt_not-the-token"), 409, "lease_lost");
        assertThat(job(id).get("status").asText()).isEqualTo("running");
    }

    @Test
    void aWorkerOfACancelledJobHearsJobFinished() {
        String type = newType();
        String id = queued(type, "");
        String token = claimed(type, "worker-a", 10_000).at("/lease/token").asText();
        assertThat(write(id, "cancel", "", null).statusCode()).isEqualTo(200);
        refused(write(id, "progress", "{\"percent\":30}", token), 409, "job_finished");
    }

    @Test
    void aDelayedRetryIsNotClaimedBeforeItsTime() {
        String type = newType();
        String id = queued(type, ",\"maxAttempts\":3");
        String token = claimed(type, "worker-a", 10_000).at("/lease/token").asText();
        HttpResponse<String> retried = write(id, "retry", "{\"delayMs\":5000}", token);
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
        assertThat(time(json(retried).get("nextAttemptAt"))).isEqualTo(clock.instant().plusMillis(5_000));
        assertThat(claim(type, "worker-b", 10_000, 0).statusCode()).isEqualTo(204);
        clock.advance(Duration.ofMillis(4_999));
        assertThat(claim(type, "worker-b", 10_000, 0).statusCode()).isEqualTo(204);
        clock.advance(Duration.ofMillis(1));
        JsonNode again = claimed(type, "worker-b", 10_000);
        assertThat(again.get("id").asText()).isEqualTo(id);
        assertThat(again.get("attempt").asInt()).isEqualTo(2);
        assertThat(again.get("nextAttemptAt").isNull()).isTrue();
    }

    @Test
    void aLongPollIsAnsweredWhenAJobOfItsTypeIsCreated() throws Exception {
        String type = newType();
        CompletableFuture<HttpResponse<String>> waiting = CompletableFuture.supplyAsync(
                () -> claim(type, "worker-a", 10_000, 30_000));
        // the claim is waiting once the server counts it; a job created before would be taken at once anyway
        String other = queued(newType(), "");
        String id = queued(type, "");
        HttpResponse<String> r = waiting.get(25, TimeUnit.SECONDS);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get("id").asText()).isEqualTo(id);
        assertThat(job(other).get("status").asText()).isEqualTo("queued");
    }

    @Test
    void aClaimTakesOnlyJobsOfTheCallersProjects() {
        String type = newType();
        String elsewhere = queued(type, ",\"project\":\"other-project\"");
        String mine = queued(type, ",\"project\":\"workers\"");
        String key = json(server.post(API + "/keys", "{\"project\":\"workers\",\"scope\":\"write\"}"))
                .get("token").asText();
        String body = "{\"types\":[\"" + type + "\"],\"worker\":\"w\"}";
        HttpResponse<String> first = server.send(server.request(API + "/jobs:claim").setHeader("Authorization",
                "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(json(first).get("id").asText()).isEqualTo(mine);
        HttpResponse<String> second = server.send(server.request(API + "/jobs:claim").setHeader("Authorization",
                "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(second.statusCode()).isEqualTo(204);
        assertThat(job(elsewhere).get("status").asText()).isEqualTo("queued");
    }

    @Test
    void aLongPollWithNothingToClaimAnswers204() {
        assertThat(claim(newType(), "worker-a", 10_000, 200).statusCode()).isEqualTo(204);
    }

    @Test
    void theInputComesBackAsItWasSent() {
        String type = newType();
        String input = "{\"url\":\"https://example.com/a\",\"depth\":2,\"ratio\":1.50,\"tags\":[\"x\",null]}";
        String id = queued(type, ",\"input\":" + input);
        HttpResponse<String> r = server.get(API + "/jobs/" + id + "/input");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(input);
        assertThat(server.get(API + "/jobs/" + queued(type, "") + "/input").body()).isEqualTo("null");
        refused(server.get(API + "/jobs/j_00000000000000000000000000/input"), 404, "not_found");
        refused(server.post(API + "/jobs", "{\"type\":\"t\",\"input\":[1]}"), 400, "invalid_field");
        refused(server.post(API + "/jobs", "{\"type\":\"t\",\"input\":{\"big\":\"" + "x".repeat(70_000) + "\"}}"),
                413, "too_large");
    }

    @Test
    void badClaimBodiesAreRefusedWith400() {
        String[] bad = {
            "{}", "{\"worker\":\"w\"}", "{\"types\":[],\"worker\":\"w\"}", "{\"types\":\"t\",\"worker\":\"w\"}",
            "{\"types\":[\"t\",\"t\"],\"worker\":\"w\"}", "{\"types\":[1],\"worker\":\"w\"}",
            "{\"types\":[\"\"],\"worker\":\"w\"}", "{\"types\":[\"t\"]}", "{\"types\":[\"t\"],\"worker\":\"\"}",
            "{\"types\":[\"t\"],\"worker\":\"w\",\"leaseMs\":0}",
            "{\"types\":[\"t\"],\"worker\":\"w\",\"leaseMs\":3600001}",
            "{\"types\":[\"t\"],\"worker\":\"w\",\"leaseMs\":1.5e400}",
            "{\"types\":[\"t\"],\"worker\":\"w\",\"leaseMs\":\"30000\"}",
            "{\"types\":[\"t\"],\"worker\":\"w\",\"waitMs\":-1}",
            "{\"types\":[\"t\"],\"worker\":\"w\",\"waitMs\":30001}",
            "{\"types\":[\"t\"],\"worker\":\"w\",\"wait\":10}", "[]", "null", "\"t\"",
            "{\"types\":[\"t\"],\"worker\":\"w\",\"limit\":0}",
            "{\"types\":[\"t\"],\"worker\":\"w\",\"limit\":101}",
            "{\"types\":[\"t\"],\"worker\":\"w\",\"limit\":2.5}",
            "{\"types\":[\"t\"],\"worker\":\"w\",\"limit\":\"2\"}",
            "{\"types\":" + manyTypes(101) + ",\"worker\":\"w\"}",
        };
        for (String body : bad) {
            HttpResponse<String> r = server.post(API + "/jobs:claim", body);
            assertThat(r.statusCode()).as("%s -> %s", body, r.body()).isEqualTo(400);
            assertThat(json(r).at("/error/code").asText()).as(body).isIn("invalid_field", "invalid_json");
        }
        refused(server.post(API + "/jobs:claim", "{\"types\":[\"t\"],"), 400, "invalid_json");
        refused(server.post(API + "/jobs/" + queued(newType(), "") + "/retry", "{\"delayMs\":-5}"), 400,
                "invalid_field");
    }

    private static String manyTypes(int n) {
        List<String> types = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            types.add("\"t" + i + "\"");
        }
        return "[" + String.join(",", types) + "]";
    }
}
