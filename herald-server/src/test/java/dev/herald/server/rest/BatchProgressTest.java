package dev.herald.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.StringJoiner;

import static org.assertj.core.api.Assertions.assertThat;

/** POST /api/v1/progress:batch (API §2): per-entry answers in order, at most 1000 entries. */
class BatchProgressTest {
    private static final String BATCH = "/api/v1/progress:batch";
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode results(HttpResponse<String> r, int n) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode results = Rest.json(r).get("results");
        assertThat(results).as(r.body()).isNotNull();
        assertThat(results).hasSize(n);
        return results;
    }

    @Test
    void mixedEntriesAnswerPerEntryInOrder() {
        String ok = Rest.createId(server, "{\"type\":\"batch\",\"total\":100}");
        String invalid = Rest.running(server, "batch");
        String finished = Rest.running(server, "batch");
        Rest.ok(server, finished, "cancel", "{}");
        String ok2 = Rest.running(server, "batch");
        long invalidVersion = Rest.version(server, invalid);

        String body = "["
                + "{\"jobId\":\"" + ok + "\",\"current\":40,\"message\":\"forty\"},"
                + "{\"jobId\":\"" + Rest.UNKNOWN_ID + "\",\"current\":1},"
                + "{\"jobId\":\"" + invalid + "\",\"current\":5,\"total\":2},"
                + "{\"jobId\":\"" + finished + "\",\"percent\":50},"
                + "{\"jobId\":\"" + ok2 + "\",\"percent\":75}"
                + "]";
        JsonNode results = results(server.post(BATCH, body), 5);

        assertThat(results.get(0).get("status").asInt()).isEqualTo(202);
        long v0 = results.get(0).get("version").asLong();
        assertThat(results.get(1).get("status").asInt()).isEqualTo(404);
        assertThat(results.get(1).at("/error/code").asText()).isEqualTo("not_found");
        assertThat(results.get(2).get("status").asInt()).isEqualTo(400);
        assertThat(results.get(2).at("/error/code").asText()).isEqualTo("invalid_progress");
        assertThat(results.get(3).get("status").asInt()).isEqualTo(409);
        assertThat(results.get(3).at("/error/code").asText()).isEqualTo("job_finished");
        assertThat(results.get(3).at("/error/status").asText()).isEqualTo("cancelled");
        assertThat(results.get(4).get("status").asInt()).isEqualTo(202);
        for (int i : new int[]{1, 2, 3}) {
            assertThat(results.get(i).at("/error/message").isTextual()).isTrue();
            assertThat(results.get(i).has("version")).isFalse();
        }

        JsonNode okJob = Rest.job(server, ok);
        assertThat(okJob.get("version").asLong()).isEqualTo(v0);
        assertThat(okJob.get("status").asText()).as("pending -> running by progress").isEqualTo("running");
        assertThat(okJob.at("/progress/percent").asDouble()).isEqualTo(40.0);
        assertThat(okJob.at("/progress/message").asText()).isEqualTo("forty");
        assertThat(Rest.version(server, invalid)).as("an invalid entry changes nothing").isEqualTo(invalidVersion);
        assertThat(Rest.percent(server, ok2)).isEqualTo(75.0);
    }

    @Test
    void malformedEntriesAnswerPerEntry() {
        String ok = Rest.running(server, "batch");
        String body = "["
                + "{\"jobId\":\"" + ok + "\",\"percent\":10},"
                + "{\"jobId\":\"not-an-id\",\"percent\":10},"
                + "{\"jobId\":\"" + ok + "\",\"percnt\":10},"
                + "{\"percent\":10},"
                + "42,"
                + "{\"jobId\":\"" + ok + "\",\"percent\":20}"
                + "]";
        JsonNode results = results(server.post(BATCH, body), 6);
        assertThat(results.get(0).get("status").asInt()).isEqualTo(202);
        assertThat(results.get(1).get("status").asInt()).isEqualTo(404);
        assertThat(results.get(1).at("/error/code").asText()).isEqualTo("not_found");
        assertThat(results.get(2).get("status").asInt()).isEqualTo(400);
        assertThat(results.get(2).at("/error/code").asText()).isEqualTo("invalid_field");
        assertThat(results.get(2).at("/error/field").asText()).isEqualTo("percnt");
        assertThat(results.get(3).get("status").asInt()).isEqualTo(400);
        assertThat(results.get(3).at("/error/field").asText()).isEqualTo("jobId");
        assertThat(results.get(4).get("status").asInt()).isEqualTo(400);
        assertThat(results.get(5).get("status").asInt()).isEqualTo(202);
        assertThat(results.get(5).get("version").asLong()).isGreaterThan(results.get(0).get("version").asLong());
        assertThat(Rest.percent(server, ok)).isEqualTo(20.0);
    }

    @Test
    void entriesForOneJobApplyInOrder() {
        String id = Rest.running(server, "batch");
        StringJoiner body = new StringJoiner(",", "[", "]");
        for (int i = 1; i <= 50; i++) {
            body.add("{\"jobId\":\"" + id + "\",\"current\":" + i + ",\"total\":50}");
        }
        JsonNode results = results(server.post(BATCH, body.toString()), 50);
        long previous = 0;
        for (JsonNode r : results) {
            assertThat(r.get("status").asInt()).isEqualTo(202);
            assertThat(r.get("version").asLong()).isGreaterThan(previous);
            previous = r.get("version").asLong();
        }
        assertThat(Rest.percent(server, id)).isEqualTo(100.0);
        assertThat(Rest.version(server, id)).isEqualTo(previous);
    }

    @Test
    void thousandEntriesAreAcceptedAndOneMoreIsTooLarge() {
        String id = Rest.running(server, "batch");
        StringJoiner max = new StringJoiner(",", "[", "]");
        for (int i = 0; i < 1000; i++) {
            max.add("{\"jobId\":\"" + id + "\",\"current\":" + i + "}");
        }
        results(server.post(BATCH, max.toString()), 1000);

        String other = Rest.running(server, "batch");
        long version = Rest.version(server, other);
        StringJoiner tooMany = new StringJoiner(",", "[", "]");
        for (int i = 0; i < 1001; i++) {
            tooMany.add("{\"jobId\":\"" + other + "\",\"current\":" + i + "}");
        }
        assertThat(tooMany.toString().length()).as("under the body limit: the count is what is refused")
                .isLessThan(64 * 1024);
        Rest.error(server.post(BATCH, tooMany.toString()), 413, "too_large");
        assertThat(Rest.version(server, other)).as("nothing of a refused batch applies").isEqualTo(version);
    }

    @Test
    void notAnArrayIs400() {
        String id = Rest.running(server, "batch");
        for (String body : new String[]{"{\"jobId\":\"" + id + "\",\"percent\":1}", "\"text\"", "42", "null"}) {
            HttpResponse<String> r = server.post(BATCH, body);
            JsonNode e = Rest.error(r, 400, null);
            assertThat(e.get("code").asText()).as(body).isIn("invalid_json", "invalid_field");
        }
        Rest.error(server.post(BATCH, "[{\"jobId\":"), 400, "invalid_json");
        assertThat(Rest.version(server, id)).isEqualTo(1);
    }
}
