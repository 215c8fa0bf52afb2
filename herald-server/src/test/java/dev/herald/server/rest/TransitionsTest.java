package dev.herald.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.herald.server.rest.Rest.JOBS;
import static dev.herald.server.rest.Rest.action;
import static dev.herald.server.rest.Rest.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** Status changes over HTTP (API §1 allowed transitions, §2 actions, 409 invalid_transition / job_finished). */
class TransitionsTest {
    private static final String FAIL_BODY = "{\"error\":{\"code\":\"E_IO\",\"message\":\"disk full\"}}";
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String jobIn(String status) {
        return Rest.createId(server, "{\"type\":\"tr\",\"status\":\"" + status + "\"}");
    }

    private static String bodyFor(String action) {
        return action.equals("fail") ? FAIL_BODY : "{}";
    }

    /** Every allowed transition reachable through an action. */
    @ParameterizedTest(name = "{0} --{1}--> {2}")
    @CsvSource({
            "pending, start, running",
            "pending, cancel, cancelled",
            "pending, fail, failed",
            "queued, start, running",
            "queued, cancel, cancelled",
            "queued, fail, failed",
            "running, complete, completed",
            "running, fail, failed",
            "running, cancel, cancelled",
            "running, retry, queued",
    })
    void allowedTransition(String from, String action, String to) {
        String id = jobIn(from);
        JsonNode before = Rest.job(server, id);
        HttpResponse<String> r = action(server, id, action, bodyFor(action));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode job = Rest.json(r);
        assertThat(job.get("id").asText()).isEqualTo(id);
        assertThat(job.get("status").asText()).isEqualTo(to);
        assertThat(job.get("version").asLong()).isGreaterThan(before.get("version").asLong());
        assertThat(r.headers().firstValue("ETag").orElse(null)).isEqualTo("\"" + job.get("version").asLong() + "\"");
        assertThat(Rest.job(server, id)).as("what the action answered is what a read answers").isEqualTo(job);
        boolean terminal = List.of("completed", "failed", "cancelled").contains(to);
        if (terminal) {
            assertThat(job.get("finishedAt").asText()).matches(Rest.TIME);
        } else {
            assertThat(job.get("finishedAt").isNull()).isTrue();
        }
        if (to.equals("running")) {
            assertThat(job.get("startedAt").asText()).matches(Rest.TIME);
        }
        if (to.equals("failed")) {
            assertThat(job.at("/error/code").asText()).isEqualTo("E_IO");
            assertThat(job.at("/error/message").asText()).isEqualTo("disk full");
        }
    }

    @ParameterizedTest(name = "{0} --{1}--> refused")
    @CsvSource({
            "pending, complete",
            "pending, retry",
            "queued, complete",
            "queued, retry",
            "running, start",
    })
    void disallowedTransitionIsInvalidTransition(String from, String action) {
        String id = jobIn(from);
        long version = Rest.version(server, id);
        HttpResponse<String> r = action(server, id, action, bodyFor(action));
        Rest.error(r, 409, "invalid_transition");
        JsonNode job = Rest.job(server, id);
        assertThat(job.get("status").asText()).as("unchanged").isEqualTo(from);
        assertThat(job.get("version").asLong()).isEqualTo(version);
    }

    /** Every write to each kind of terminal job is 409 job_finished with the job's status. */
    @ParameterizedTest(name = "writes to a {0} job")
    @CsvSource({"completed", "failed", "cancelled"})
    void everyWriteToATerminalJobIsJobFinished(String terminal) {
        String id = jobIn("running");
        switch (terminal) {
            case "completed" -> ok(server, id, "complete", "{\"result\":{\"ok\":true}}");
            case "failed" -> ok(server, id, "fail", FAIL_BODY);
            default -> ok(server, id, "cancel", "{}");
        }
        JsonNode before = Rest.job(server, id);
        Map<String, HttpResponse<String>> answers = new LinkedHashMap<>();
        answers.put("progress", Rest.progress(server, id, "{\"percent\":10}"));
        answers.put("logs", server.post(JOBS + "/" + id + "/logs", "{\"level\":\"info\",\"message\":\"late\"}"));
        answers.put("heartbeat", action(server, id, "heartbeat"));
        answers.put("start", action(server, id, "start"));
        answers.put("complete", action(server, id, "complete", "{\"result\":{\"again\":1}}"));
        answers.put("fail", action(server, id, "fail", FAIL_BODY));
        answers.put("cancel", action(server, id, "cancel"));
        answers.put("retry", action(server, id, "retry"));
        answers.put("batch", server.post("/api/v1/progress:batch", "[{\"jobId\":\"" + id + "\",\"percent\":5}]"));
        answers.forEach((what, r) -> {
            if (what.equals("batch")) {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                JsonNode entry = Rest.json(r).at("/results/0");
                assertThat(entry.get("status").asInt()).as(r.body()).isEqualTo(409);
                assertThat(entry.at("/error/code").asText()).as(r.body()).isEqualTo("job_finished");
                assertThat(entry.at("/error/status").asText()).as(r.body()).isEqualTo(terminal);
                return;
            }
            JsonNode e = Rest.error(r, 409, "job_finished");
            assertThat(e.path("status").asText(null)).as("%s on a %s job: %s", what, terminal, r.body())
                    .isEqualTo(terminal);
        });
        assertThat(Rest.job(server, id)).as("nothing changed the %s job", terminal).isEqualTo(before);
    }

    @Test
    void progressOnPendingMovesItToRunning() {
        String id = jobIn("pending");
        long v = Rest.accepted(server, id, "{\"percent\":5}");
        JsonNode job = Rest.job(server, id);
        assertThat(job.get("status").asText()).isEqualTo("running");
        assertThat(job.get("startedAt").asText()).matches(Rest.TIME);
        assertThat(job.get("version").asLong()).isEqualTo(v).isGreaterThan(1);
    }

    @Test
    void progressOnQueuedMovesItToRunning() {
        String id = jobIn("queued");
        Rest.accepted(server, id, "{}");
        assertThat(Rest.job(server, id).get("status").asText()).isEqualTo("running");
    }

    @Test
    void retryOfARunningJobQueuesItAgainWithTheNextAttempt() {
        String id = jobIn("running");
        Rest.accepted(server, id, "{\"percent\":70}");
        JsonNode job = ok(server, id, "retry", "{}");
        assertThat(job.get("status").asText()).isEqualTo("queued");
        assertThat(job.get("attempt").asInt()).isEqualTo(2);
        // and it can run again
        JsonNode again = ok(server, id, "start", "{}");
        assertThat(again.get("status").asText()).isEqualTo("running");
        assertThat(again.get("attempt").asInt()).isEqualTo(2);
        assertThat(ok(server, id, "retry", "").get("attempt").asInt()).as("retry without a body").isEqualTo(3);
    }

    @Test
    void retryOfAFailedJobFollowsMaxAttempts() {
        String id = Rest.createId(server, "{\"type\":\"tr\",\"status\":\"running\",\"maxAttempts\":2}");
        ok(server, id, "fail", FAIL_BODY);
        JsonNode job = ok(server, id, "retry", "{}");
        assertThat(job.get("status").asText()).isEqualTo("queued");
        assertThat(job.get("attempt").asInt()).isEqualTo(2);
        assertThat(job.get("finishedAt").isNull()).isTrue();
        ok(server, id, "start", "{}");
        ok(server, id, "fail", FAIL_BODY);
        // the second attempt was the last one
        JsonNode e = Rest.error(action(server, id, "retry"), 409, "job_finished");
        assertThat(e.get("status").asText()).isEqualTo("failed");
    }

    @Test
    void retryOfAFailedJobWithTheDefaultPolicyIsRefused() {
        String id = jobIn("running");
        ok(server, id, "fail", FAIL_BODY);
        HttpResponse<String> r = action(server, id, "retry");
        JsonNode e = Rest.error(r, 409, "job_finished");
        assertThat(e.get("status").asText()).isEqualTo("failed");
        assertThat(Rest.job(server, id).get("status").asText()).isEqualTo("failed");
    }

    @Test
    void versionIncreasesWithEveryChange() {
        String id = jobIn("pending");
        long v1 = Rest.version(server, id);
        long v2 = Rest.accepted(server, id, "{\"percent\":1}");
        assertThat(v2).as("progress (and pending -> running)").isGreaterThan(v1);
        assertThat(Rest.version(server, id)).isEqualTo(v2);
        long v3 = Rest.accepted(server, id, "{\"percent\":2}");
        assertThat(v3).as("progress").isGreaterThan(v2);
        HttpResponse<String> log = server.post(JOBS + "/" + id + "/logs", "{\"level\":\"info\",\"message\":\"hi\"}");
        assertThat(log.statusCode()).isEqualTo(202);
        long v4 = Rest.version(server, id);
        assertThat(v4).as("log").isGreaterThan(v3);
        long v5 = ok(server, id, "retry", "{}").get("version").asLong();
        assertThat(v5).as("status").isGreaterThan(v4);
        long v6 = ok(server, id, "start", "{}").get("version").asLong();
        assertThat(v6).isGreaterThan(v5);
        long v7 = Rest.accepted(server, id, "{\"message\":\"same percent, new message\"}");
        assertThat(v7).isGreaterThan(v6);
        long v8 = ok(server, id, "complete", "{}").get("version").asLong();
        assertThat(v8).isGreaterThan(v7);
        assertThat(Rest.version(server, id)).isEqualTo(v8);
    }

    @Test
    void concurrentProgressReportsEachGetTheirOwnVersion() throws Exception {
        String id = jobIn("running");
        long start = Rest.version(server, id);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Long>> versions = new java.util.ArrayList<>();
            for (int i = 1; i <= 40; i++) {
                int n = i;
                versions.add(pool.submit(() -> Rest.accepted(server, id, "{\"message\":\"report " + n + "\"}")));
            }
            java.util.Set<Long> seen = new java.util.HashSet<>();
            for (java.util.concurrent.Future<Long> v : versions) {
                long version = v.get(30, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(version).isGreaterThan(start);
                assertThat(seen.add(version)).as("version %d answered twice", version).isTrue();
            }
            assertThat(Rest.version(server, id)).isEqualTo(java.util.Collections.max(seen));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void heartbeatOfALiveJobIs204AndChangesNothingVisible() {
        String id = jobIn("running");
        HttpResponse<String> r = action(server, id, "heartbeat");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
        assertThat(r.body()).isEmpty();
        HttpResponse<String> noBody = Rest.send(server, "POST", JOBS + "/" + id + "/heartbeat", null, null);
        assertThat(noBody.statusCode()).as(noBody.body()).isEqualTo(204);
        assertThat(Rest.job(server, id).get("status").asText()).isEqualTo("running");
    }

    @Test
    void failNeedsAnErrorMessage() {
        String id = jobIn("running");
        Rest.error(action(server, id, "fail", "{}"), 400, "invalid_field", "error");
        Rest.error(action(server, id, "fail", "{\"error\":{\"code\":\"X\"}}"), 400, "invalid_field", "error.message");
        Rest.error(action(server, id, "fail", "{\"error\":{\"message\":\"m\",\"extra\":1}}"), 400, "invalid_field",
                "error.extra");
        JsonNode job = ok(server, id, "fail", "{\"error\":{\"message\":\"only a message\"}}");
        assertThat(job.at("/error/message").asText()).isEqualTo("only a message");
    }

    @Test
    void actionsRefuseUnknownFields() {
        String id = jobIn("pending");
        for (String a : List.of("start", "cancel", "retry", "heartbeat")) {
            Rest.error(action(server, id, a, "{\"force\":true}"), 400, "invalid_field", "force");
        }
        Rest.error(action(server, id, "complete", "{\"reslt\":1}"), 400, "invalid_field", "reslt");
        assertThat(Rest.job(server, id).get("status").asText()).isEqualTo("pending");
    }

    @Test
    void cancelCancelsEveryNonTerminalDescendant() {
        String root = jobIn("running");
        String child = Rest.createId(server, "{\"type\":\"c\",\"parentId\":\"" + root + "\",\"status\":\"running\"}");
        String grandchild = Rest.createId(server, "{\"type\":\"gc\",\"parentId\":\"" + child + "\"}");
        String doneChild = Rest.createId(server, "{\"type\":\"c\",\"parentId\":\"" + root + "\",\"status\":\"running\"}");
        ok(server, doneChild, "complete", "{}");
        JsonNode cancelled = ok(server, root, "cancel", "{}");
        assertThat(cancelled.get("status").asText()).isEqualTo("cancelled");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(3)).untilAsserted(() -> {
            assertThat(Rest.job(server, child).get("status").asText()).isEqualTo("cancelled");
            assertThat(Rest.job(server, grandchild).get("status").asText()).isEqualTo("cancelled");
        });
        assertThat(Rest.job(server, doneChild).get("status").asText()).as("a finished child stays finished")
                .isEqualTo("completed");
    }
}
