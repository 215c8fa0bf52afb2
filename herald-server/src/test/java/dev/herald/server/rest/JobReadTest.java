package dev.herald.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.support.JobsOverRest;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.herald.server.rest.Rest.JOBS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** GET /api/v1/jobs/{id}: ETag, If-None-Match and long polling (API §2). */
class JobReadTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> getWith(String path, String header, String value) {
        return server.send(server.request(path).header(header, value).GET().build());
    }

    private static CompletableFuture<HttpResponse<String>> getAsync(String path) {
        HttpRequest req = server.request(path).GET().build();
        return server.client().sendAsync(req, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void etagIsTheQuotedVersion() {
        String id = Rest.running(server, "read");
        Rest.accepted(server, id, "{\"percent\":10}");
        HttpResponse<String> r = server.get(JOBS + "/" + id);
        assertThat(r.statusCode()).isEqualTo(200);
        long version = Rest.json(r).get("version").asLong();
        assertThat(r.headers().firstValue("ETag")).hasValue("\"" + version + "\"");
    }

    @Test
    void ifNoneMatchWithTheCurrentVersionIs304WithAnEmptyBody() {
        String id = Rest.running(server, "read");
        long version = Rest.accepted(server, id, "{\"percent\":10}");
        HttpResponse<String> r = getWith(JOBS + "/" + id, "If-None-Match", "\"" + version + "\"");
        assertThat(r.statusCode()).isEqualTo(304);
        assertThat(r.body()).isEmpty();
        assertThat(r.headers().firstValue("ETag")).hasValue("\"" + version + "\"");
    }

    @Test
    void ifNoneMatchWithAStaleVersionIs200WithTheJob() {
        String id = Rest.running(server, "read");
        long stale = Rest.version(server, id);
        long now = Rest.accepted(server, id, "{\"percent\":10}");
        HttpResponse<String> r = getWith(JOBS + "/" + id, "If-None-Match", "\"" + stale + "\"");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Rest.json(r).get("version").asLong()).isEqualTo(now);
        assertThat(r.headers().firstValue("ETag")).hasValue("\"" + now + "\"");
        // a list of tags that holds the current one
        HttpResponse<String> listed = getWith(JOBS + "/" + id, "If-None-Match", "\"" + stale + "\", \"" + now + "\"");
        assertThat(listed.statusCode()).isEqualTo(304);
    }

    @Test
    void longPollAnswersAtOnceWhenTheVersionIsAlreadyPast() throws Exception {
        String id = Rest.running(server, "poll");
        long version = Rest.accepted(server, id, "{\"percent\":10}");
        // the poll may wait 60 s; answering at all within the client's 30 s means it did not wait
        HttpResponse<String> r = server.send(server.request(JOBS + "/" + id + "?waitForVersion=" + (version - 1)
                + "&timeoutMs=60000").timeout(Duration.ofSeconds(30)).GET().build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Rest.json(r).get("version").asLong()).isEqualTo(version);
        HttpResponse<String> zero = server.send(server.request(JOBS + "/" + id + "?waitForVersion=0&timeoutMs=60000")
                .timeout(Duration.ofSeconds(30)).GET().build());
        assertThat(zero.statusCode()).isEqualTo(200);
        assertThat(Rest.json(zero).get("version").asLong()).isEqualTo(version);
    }

    @Test
    void longPollAnswersWhenProgressArrivesFromAnotherClient() throws Exception {
        String id = Rest.running(server, "poll");
        long version = Rest.accepted(server, id, "{\"percent\":10}");
        CompletableFuture<HttpResponse<String>> poll =
                getAsync(JOBS + "/" + id + "?waitForVersion=" + version + "&timeoutMs=60000");
        // the change comes only once the server holds the poll, so its answer can only come from waiting
        await().atMost(JobsOverRest.WAIT).until(() -> JobsOverRest.metric(server, "herald_longpolls_waiting") >= 1);
        assertThat(poll).as("nothing changed yet, so the poll waits").isNotDone();
        long next = CompletableFuture.supplyAsync(() -> Rest.accepted(server, id, "{\"percent\":55,\"message\":\"moved\"}"))
                .get(30, TimeUnit.SECONDS);
        HttpResponse<String> r = poll.get(30, TimeUnit.SECONDS);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode job = Rest.json(r);
        assertThat(job.get("version").asLong()).isGreaterThanOrEqualTo(next).isGreaterThan(version);
        assertThat(job.at("/progress/percent").asDouble()).isEqualTo(55.0);
        assertThat(job.at("/progress/message").asText()).isEqualTo("moved");
        assertThat(r.headers().firstValue("ETag")).hasValue("\"" + job.get("version").asLong() + "\"");
    }

    @Test
    void longPollAnswersOnAStatusChangeAndALogLine() throws Exception {
        String id = Rest.running(server, "poll");
        long v = Rest.version(server, id);
        CompletableFuture<HttpResponse<String>> poll =
                getAsync(JOBS + "/" + id + "?waitForVersion=" + v + "&timeoutMs=60000");
        assertThat(server.post(JOBS + "/" + id + "/logs", "{\"level\":\"info\",\"message\":\"x\"}").statusCode())
                .isEqualTo(202);
        HttpResponse<String> r = poll.get(30, TimeUnit.SECONDS);
        assertThat(Rest.json(r).get("version").asLong()).isGreaterThan(v);

        long v2 = Rest.version(server, id);
        CompletableFuture<HttpResponse<String>> poll2 =
                getAsync(JOBS + "/" + id + "?waitForVersion=" + v2 + "&timeoutMs=60000");
        Rest.ok(server, id, "cancel", "{}");
        JsonNode job = Rest.json(poll2.get(30, TimeUnit.SECONDS));
        assertThat(job.get("status").asText()).isEqualTo("cancelled");
    }

    @Test
    void longPollAnswersTheCurrentJobAfterTheTimeout() throws Exception {
        String id = Rest.running(server, "poll");
        long version = Rest.accepted(server, id, "{\"percent\":10}");
        HttpResponse<String> r = getAsync(JOBS + "/" + id + "?waitForVersion=" + version + "&timeoutMs=500")
                .get(30, TimeUnit.SECONDS);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Rest.json(r).get("version").asLong()).isEqualTo(version);
        assertThat(Rest.json(r).get("id").asText()).isEqualTo(id);
        HttpResponse<String> zero = getAsync(JOBS + "/" + id + "?waitForVersion=" + version + "&timeoutMs=0")
                .get(30, TimeUnit.SECONDS);
        assertThat(zero.statusCode()).isEqualTo(200);
    }

    @Test
    void manyLongPollsOnOneJobAllAnswer() throws Exception {
        String id = Rest.running(server, "poll");
        long v = Rest.version(server, id);
        List<CompletableFuture<HttpResponse<String>>> polls = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            polls.add(getAsync(JOBS + "/" + id + "?waitForVersion=" + v + "&timeoutMs=60000"));
        }
        Rest.accepted(server, id, "{\"percent\":20}");
        for (CompletableFuture<HttpResponse<String>> p : polls) {
            HttpResponse<String> r = p.get(30, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(Rest.json(r).get("version").asLong()).isGreaterThan(v);
        }
    }

    @Test
    void longPollOfAnUnknownJobIs404() throws Exception {
        HttpResponse<String> r = getAsync(JOBS + "/" + Rest.UNKNOWN_ID + "?waitForVersion=1&timeoutMs=60000")
                .get(30, TimeUnit.SECONDS);
        Rest.error(r, 404, "not_found");
    }

    @Test
    void longPollParametersAreChecked() {
        String id = Rest.running(server, "poll");
        String base = JOBS + "/" + id;
        Rest.error(server.get(base + "?waitForVersion=1&timeoutMs=60001"), 400, "invalid_field", "timeoutMs");
        Rest.error(server.get(base + "?waitForVersion=1&timeoutMs=-1"), 400, "invalid_field", "timeoutMs");
        Rest.error(server.get(base + "?waitForVersion=1&timeoutMs=abc"), 400, "invalid_field", "timeoutMs");
        Rest.error(server.get(base + "?waitForVersion=1&timeoutMs=1.5"), 400, "invalid_field", "timeoutMs");
        Rest.error(server.get(base + "?waitForVersion=abc&timeoutMs=100"), 400, "invalid_field", "waitForVersion");
        Rest.error(server.get(base + "?waitForVersion=-1&timeoutMs=100"), 400, "invalid_field", "waitForVersion");
        Rest.error(server.get(base + "?waitForVersion=99999999999999999999999&timeoutMs=100"), 400, "invalid_field",
                "waitForVersion");
        Rest.error(server.get(base + "?waitForVersion=&timeoutMs=100"), 400, "invalid_field", "waitForVersion");
        Rest.error(server.get(base + "?version=1"), 400, "invalid_field", "version");
    }

    @Test
    void readOfAnUnknownJobIs404() {
        Rest.error(server.get(JOBS + "/" + Rest.UNKNOWN_ID), 404, "not_found");
    }
}
