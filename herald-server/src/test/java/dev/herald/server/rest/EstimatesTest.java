package dev.herald.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.time.SettableClock;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** API §10 over HTTP: estimates from history, GET /stats/types, stalled and overdue, on the server's clock. */
class EstimatesTest {
    private static final SettableClock CLOCK = new SettableClock(Instant.parse("2026-12-07T10:00:00.000Z"));
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.onClock(CLOCK, o -> o.withStallAfter(Duration.ofSeconds(60)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String running(String project) {
        return Rest.createId(server, "{\"type\":\"import\",\"project\":\"" + project + "\",\"status\":\"running\","
                + "\"stages\":[{\"name\":\"parse\",\"weight\":1},{\"name\":\"load\",\"weight\":4}]}");
    }

    private static void report(String id, int stage, int current) {
        CLOCK.advance(Duration.ofSeconds(1));
        Rest.accepted(server, id, "{\"stageIndex\":" + stage + ",\"current\":" + current + ",\"total\":10}");
    }

    /** Reports a second apart: two of parsing, eight of loading, completed; the second between counts to parsing. */
    private static void oneRun(String project) {
        String id = running(project);
        for (int i = 1; i <= 2; i++) {
            report(id, 0, i * 5);
        }
        for (int i = 1; i <= 8; i++) {
            report(id, 1, Math.min(10, i * 10 / 8));
        }
        Rest.ok(server, id, "complete", "{}");
    }

    private static JsonNode types(String project) {
        HttpResponse<String> r = server.get("/api/v1/stats/types?project=" + project);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Rest.json(r).get("items");
    }

    @Test
    void finishedRunsBecomeTheTypesStatisticsAndTheNextRunsEstimate() {
        String project = "est-" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            oneRun(project);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> types(project).size() == 1
                && types(project).get(0).get("sampleSize").asInt() == 3);
        JsonNode imports = types(project).get(0);
        assertThat(imports.get("type").asText()).isEqualTo("import");
        assertThat(imports.get("finished").asInt()).isEqualTo(3);
        assertThat(imports.get("successRate").asDouble()).isEqualTo(1.0);
        assertThat(imports.get("p50Ms").asLong()).isEqualTo(10_000);
        assertThat(imports.get("p90Ms").asLong()).isEqualTo(10_000);
        assertThat(imports.get("stages").toString())
                .isEqualTo("[{\"name\":\"parse\",\"p50Ms\":3000},{\"name\":\"load\",\"p50Ms\":7000}]");

        String next = running(project);
        report(next, 0, 5);
        JsonNode eta = Rest.job(server, next).get("eta");
        assertThat(eta.get("basis").asText()).isIn("history", "blend");
        assertThat(eta.get("sampleSize").asInt()).isEqualTo(3);
        assertThat(eta.get("low").asLong()).isLessThanOrEqualTo(eta.get("remainingMs").asLong());
        assertThat(eta.get("high").asLong()).isGreaterThanOrEqualTo(eta.get("remainingMs").asLong());
        // half of parsing took 1 s against history's 1.5 s; trusted as far as the stage has come, the pace is 5/6
        assertThat(eta.get("remainingMs").asLong()).as("half of parsing's median, then loading's, at that pace")
                .isEqualTo(Math.round((1_500 + 7_000) * 5 / 6.0));
        assertThat(Rest.job(server, next).get("overdue").asBoolean()).isFalse();
    }

    @Test
    void aParentsEstimateIsItsSlowestRunningChildThenItsQueuedOnesOverTheWorkersSeen() {
        String project = "parent-" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            oneRun(project);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> types(project).size() == 1
                && types(project).get(0).get("sampleSize").asInt() == 3);
        String parent = Rest.createId(server, "{\"type\":\"nightly\",\"project\":\"" + project + "\"}");
        String child = "{\"type\":\"import\",\"parentId\":\"" + parent + "\",\"status\":\"%s\","
                + "\"stages\":[{\"name\":\"parse\",\"weight\":1},{\"name\":\"load\",\"weight\":4}]}";
        String first = Rest.createId(server, child.formatted("running"));
        String second = Rest.createId(server, child.formatted("running"));
        for (int i = 0; i < 3; i++) {
            Rest.createId(server, child.formatted("queued"));
        }
        report(first, 0, 5);
        report(second, 0, 5);
        long slowest = Math.max(Rest.job(server, first).at("/eta/remainingMs").asLong(),
                Rest.job(server, second).at("/eta/remainingMs").asLong());
        // three queued imports of 10 s median each, on the two workers seen running at once
        await().atMost(Duration.ofSeconds(10)).until(() ->
                Rest.job(server, parent).at("/eta/remainingMs").asLong() == slowest + 15_000);
        JsonNode eta = Rest.job(server, parent).get("eta");
        assertThat(eta.get("basis").asText()).isEqualTo("blend");
        assertThat(eta.get("sampleSize").asInt()).isEqualTo(3);
        assertThat(eta.get("low").asLong()).isBetween(15_000L, slowest + 15_000);
        assertThat(eta.get("high").asLong()).isGreaterThanOrEqualTo(slowest + 15_000);
    }

    @Test
    void aSilentJobIsStalledUntilItsNextWrite() {
        String id = running("stall-" + UUID.randomUUID());
        report(id, 0, 1);
        assertThat(Rest.job(server, id).get("stalled").asBoolean()).isFalse();
        CLOCK.advance(Duration.ofSeconds(61));
        await().atMost(Duration.ofSeconds(10)).until(() -> Rest.job(server, id).get("stalled").asBoolean());
        report(id, 0, 2);
        assertThat(Rest.job(server, id).get("stalled").asBoolean()).isFalse();
    }

    @Test
    void aProjectWithoutHistoryHasNoTypes() {
        assertThat(types("nothing-" + UUID.randomUUID())).isEmpty();
    }

    @Test
    void theProjectIsRequiredAndNothingElseIsAccepted() {
        for (String query : new String[] {"", "?project=", "?project=a&type=b"}) {
            HttpResponse<String> r = server.get("/api/v1/stats/types" + query);
            assertThat(r.statusCode()).as(query + " -> " + r.body()).isEqualTo(400);
            assertThat(Rest.json(r).at("/error/code").asText()).isEqualTo("invalid_field");
        }
        HttpResponse<String> anonymous = server.send(java.net.http.HttpRequest.newBuilder(
                server.uri("/api/v1/stats/types?project=a")).GET().build());
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }
}
