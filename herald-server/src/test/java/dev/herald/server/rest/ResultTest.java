package dev.herald.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static dev.herald.server.rest.Rest.JOBS;
import static org.assertj.core.api.Assertions.assertThat;

/** Results (API §1, §2 GET /result, §6 result ≤ 1 MiB): small ones inline, large ones only at /result. */
class ResultTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A result object whose compact JSON is about {@code bytes} long. */
    private static ObjectNode resultOf(int bytes) {
        ObjectNode result = Rest.JSON.createObjectNode();
        result.put("rows", 1000);
        result.put("blob", "x".repeat(Math.max(0, bytes - 30)));
        return result;
    }

    /** The result from GET /result: the body is {"result": ...}. */
    private static JsonNode fullResult(String id) {
        HttpResponse<String> r = server.get(JOBS + "/" + id + "/result");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = Rest.json(r);
        assertThat(body.has("result")).as("result in %s...", r.body().substring(0, Math.min(200, r.body().length())))
                .isTrue();
        return body.get("result");
    }

    @Test
    void smallResultIsInTheJobAndAtResult() {
        String id = Rest.running(server, "res");
        JsonNode done = Rest.ok(server, id, "complete", "{\"result\":{\"rows\":1000,\"file\":\"out.csv\",\"ok\":true}}");
        assertThat(done.at("/result/rows").asInt()).isEqualTo(1000);
        assertThat(done.path("resultOmitted").asBoolean(false)).isFalse();
        JsonNode job = Rest.job(server, id);
        assertThat(job.at("/result/file").asText()).isEqualTo("out.csv");
        assertThat(fullResult(id)).isEqualTo(Rest.object("{\"rows\":1000,\"file\":\"out.csv\",\"ok\":true}"));
    }

    @Test
    void resultsKeepTheirJsonValues() {
        String id = Rest.running(server, "res");
        String result = "{\"n\":0.10,\"big\":12345678901234567,\"list\":[1,\"two\",null,{\"x\":[]}],\"text\":\"é ✓ 😀\"}";
        Rest.ok(server, id, "complete", "{\"result\":" + result + "}");
        assertThat(fullResult(id)).isEqualTo(Rest.object(result));
    }

    @Test
    void completeWithoutResult() {
        String id = Rest.running(server, "res");
        JsonNode done = Rest.ok(server, id, "complete", "");
        assertThat(done.get("result").isNull()).isTrue();
        assertThat(fullResult(id).isNull()).isTrue();
    }

    @Test
    void resultOver16KiBIsLeftOutOfTheJobButReadAtResult() {
        String id = Rest.running(server, "res");
        ObjectNode result = resultOf(100 * 1024);
        HttpResponse<String> r = Rest.action(server, id, "complete", "{\"result\":" + result + "}");
        assertThat(r.statusCode()).as(r.body().substring(0, Math.min(300, r.body().length()))).isEqualTo(200);
        JsonNode done = Rest.json(r);
        assertThat(done.get("status").asText()).isEqualTo("completed");
        assertThat(done.get("result").isNull()).as("the job body leaves a >16 KiB result out").isTrue();
        assertThat(done.path("resultOmitted").asBoolean()).isTrue();
        assertThat(r.body().length()).isLessThan(16 * 1024);

        JsonNode job = Rest.job(server, id);
        assertThat(job.get("result").isNull()).isTrue();
        assertThat(job.path("resultOmitted").asBoolean()).isTrue();

        JsonNode listed = Rest.json(server.get(JOBS + "?type=res&limit=500"));
        for (JsonNode item : listed.get("items")) {
            if (item.get("id").asText().equals(id)) {
                assertThat(item.get("result").isNull()).isTrue();
                assertThat(item.path("resultOmitted").asBoolean()).isTrue();
            }
        }
        assertThat(fullResult(id)).isEqualTo(result);
    }

    @Test
    void resultJustOver16KiB() {
        String id = Rest.running(server, "res");
        ObjectNode result = resultOf(16 * 1024 + 100);
        assertThat(result.toString().getBytes(StandardCharsets.UTF_8).length).isGreaterThan(16 * 1024);
        JsonNode done = Rest.ok(server, id, "complete", "{\"result\":" + result + "}");
        assertThat(done.get("result").isNull()).isTrue();
        assertThat(done.path("resultOmitted").asBoolean()).isTrue();
        assertThat(fullResult(id)).isEqualTo(result);
    }

    @Test
    void resultJustUnder16KiBIsInline() {
        String id = Rest.running(server, "res");
        ObjectNode result = resultOf(16 * 1024 - 200);
        assertThat(result.toString().getBytes(StandardCharsets.UTF_8).length).isLessThan(16 * 1024);
        JsonNode done = Rest.ok(server, id, "complete", "{\"result\":" + result + "}");
        assertThat(done.get("result")).isEqualTo(result);
        assertThat(done.path("resultOmitted").asBoolean(false)).isFalse();
    }

    @Test
    void resultOfAlmost1MiB() {
        String id = Rest.running(server, "res");
        ObjectNode result = resultOf(1024 * 1024 - 100);
        assertThat(result.toString().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1024 * 1024);
        HttpResponse<String> r = Rest.action(server, id, "complete", "{\"result\":" + result + "}");
        assertThat(r.statusCode()).as(r.body().substring(0, Math.min(300, r.body().length()))).isEqualTo(200);
        assertThat(fullResult(id)).isEqualTo(result);
    }

    @Test
    void resultOver1MiBIs413() {
        String id = Rest.running(server, "res");
        ObjectNode result = resultOf(1024 * 1024 + 100);
        HttpResponse<String> r = Rest.action(server, id, "complete", "{\"result\":" + result + "}");
        Rest.error(r, 413, "too_large");
        assertThat(Rest.job(server, id).get("status").asText()).as("not completed").isEqualTo("running");
    }

    @Test
    void resultOfAnUnknownJobIs404() {
        Rest.error(server.get(JOBS + "/" + Rest.UNKNOWN_ID + "/result"), 404, "not_found");
    }
}
