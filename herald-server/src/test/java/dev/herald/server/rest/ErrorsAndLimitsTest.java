package dev.herald.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.support.RawHttp;
import dev.herald.server.support.SseClient;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.herald.server.rest.Rest.JOBS;
import static dev.herald.server.rest.Rest.error;
import static org.assertj.core.api.Assertions.assertThat;

/** Errors and limits of API §6 (and the token check of §5): every code, its status and its body. */
class ErrorsAndLimitsTest {
    private static TestServer server;
    private static String id;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        id = Rest.running(server, "errors");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> postBytes(String path, byte[] body) {
        return Rest.send(server, "POST", path, "application/json", body);
    }

    // ---- invalid_json ------------------------------------------------------------------

    @Test
    void badJsonIsInvalidJson() {
        for (String body : List.of("{\"type\":", "{type:\"x\"}", "{'type':'x'}", "{\"type\":\"x\",}", "nope",
                "{\"type\":\"x\"", "{\"type\":\"x\" \"name\":\"y\"}")) {
            error(server.post(JOBS, body), 400, "invalid_json");
        }
        error(server.post(JOBS + "/" + id + "/progress", "{\"percent\":"), 400, "invalid_json");
        error(server.post(JOBS + "/" + id + "/logs", "{"), 400, "invalid_json");
        error(server.post(JOBS + "/" + id + "/complete", "{\"result\":}"), 400, "invalid_json");
        error(server.post(JOBS + "/" + id + "/fail", "[}"), 400, "invalid_json");
    }

    @Test
    void trailingGarbageIsInvalidJson() {
        error(server.post(JOBS, "{\"type\":\"x\"} garbage"), 400, "invalid_json");
        error(server.post(JOBS, "{\"type\":\"x\"}{\"type\":\"y\"}"), 400, "invalid_json");
        error(server.post(JOBS, "{\"type\":\"x\"}]"), 400, "invalid_json");
        error(server.post(JOBS + "/" + id + "/progress", "{\"percent\":1} 2"), 400, "invalid_json");
    }

    @Test
    void invalidUtf8IsInvalidJson() {
        byte[] prefix = "{\"type\":\"x".getBytes(StandardCharsets.UTF_8);
        for (byte[] bad : List.of(new byte[]{(byte) 0xC3, (byte) 0x28}, new byte[]{(byte) 0xFF},
                new byte[]{(byte) 0xC0, (byte) 0xAF}, new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                new byte[]{(byte) 0xE2, (byte) 0x82})) {
            byte[] body = new byte[prefix.length + bad.length + 2];
            System.arraycopy(prefix, 0, body, 0, prefix.length);
            System.arraycopy(bad, 0, body, prefix.length, bad.length);
            body[body.length - 2] = '"';
            body[body.length - 1] = '}';
            error(postBytes(JOBS, body), 400, "invalid_json");
        }
    }

    @Test
    void emptyOrNonObjectBodyOfACreateIs400() {
        error(server.post(JOBS, ""), 400, "invalid_json");
        for (String body : List.of("[]", "\"job\"", "42", "null", "true")) {
            HttpResponse<String> r = server.post(JOBS, body);
            JsonNode e = error(r, 400, null);
            assertThat(e.get("code").asText()).as(body).isIn("invalid_json", "invalid_field");
        }
    }

    @Test
    void duplicateKeysAreRefused() {
        HttpResponse<String> r = server.post(JOBS, "{\"type\":\"a\",\"type\":\"b\"}");
        JsonNode e = error(r, 400, null);
        assertThat(e.get("code").asText()).isIn("invalid_json", "invalid_field");
    }

    @Test
    void tooDeepJsonIs400() {
        String deep = "{\"a\":".repeat(40) + "1" + "}".repeat(40);
        HttpResponse<String> r = server.post(JOBS, "{\"type\":\"x\",\"metadata\":" + deep + "}");
        JsonNode e = error(r, 400, null);
        assertThat(e.get("code").asText()).isIn("invalid_json", "invalid_field");
        String ok = "{\"a\":".repeat(20) + "1" + "}".repeat(20);
        assertThat(server.post(JOBS, "{\"type\":\"x\",\"metadata\":" + ok + "}").statusCode()).isEqualTo(201);
    }

    // ---- invalid_field -----------------------------------------------------------------

    @Test
    void unknownFieldIsInvalidFieldNamingIt() {
        error(server.post(JOBS, "{\"type\":\"x\",\"typo\":1}"), 400, "invalid_field", "typo");
        error(server.post(JOBS, "{\"type\":\"x\",\"stages\":[{\"name\":\"a\",\"wieght\":1}]}"), 400, "invalid_field",
                "stages[0].wieght");
        error(server.post(JOBS + "/" + id + "/progress", "{\"percent\":1,\"pct\":2}"), 400, "invalid_field", "pct");
    }

    @Test
    void wrongTypeIsInvalidField() {
        error(server.post(JOBS, "{\"type\":5}"), 400, "invalid_field", "type");
        error(server.post(JOBS, "{\"type\":\"x\",\"name\":[]}"), 400, "invalid_field", "name");
        error(server.post(JOBS, "{\"type\":\"x\",\"total\":\"100\"}"), 400, "invalid_field", "total");
        error(server.post(JOBS, "{\"type\":\"x\",\"stages\":\"a,b\"}"), 400, "invalid_field", "stages");
        error(server.post(JOBS, "{\"type\":\"x\",\"metadata\":\"m\"}"), 400, "invalid_field", "metadata");
        error(server.post(JOBS, "{\"type\":\"x\",\"completeWithChildren\":\"yes\"}"), 400, "invalid_field",
                "completeWithChildren");
        error(server.post(JOBS, "{\"type\":\"x\",\"status\":1}"), 400, "invalid_field", "status");
        error(server.post(JOBS, "{\"type\":\"x\",\"stages\":[{\"name\":\"a\",\"weight\":0}]}"), 400, "invalid_field",
                "stages[0].weight");
        error(server.post(JOBS, "{\"type\":\"x\",\"stages\":[\"a\",\"a\"]}"), 400, "invalid_field");
    }

    @Test
    void missingTypeIsInvalidField() {
        error(server.post(JOBS, "{}"), 400, "invalid_field", "type");
        error(server.post(JOBS, "{\"type\":\"\"}"), 400, "invalid_field", "type");
    }

    @Test
    void overLongNamesAreInvalidField() {
        String longer = "n".repeat(201);
        error(server.post(JOBS, "{\"type\":\"x\",\"name\":\"" + longer + "\"}"), 400, "invalid_field", "name");
        error(server.post(JOBS, "{\"type\":\"" + longer + "\"}"), 400, "invalid_field", "type");
        error(server.post(JOBS, "{\"type\":\"x\",\"project\":\"" + longer + "\"}"), 400, "invalid_field", "project");
        error(server.post(JOBS, "{\"type\":\"x\",\"unit\":\"" + longer + "\"}"), 400, "invalid_field", "unit");
        error(server.post(JOBS, "{\"type\":\"x\",\"stages\":[\"" + longer + "\"]}"), 400, "invalid_field");
        String exact = "n".repeat(200);
        JsonNode job = Rest.create(server, "{\"type\":\"" + exact + "\",\"name\":\"" + exact + "\"}");
        assertThat(job.get("name").asText()).hasSize(200);
        // characters, not bytes: 200 two-byte characters are fine
        String wide = "é".repeat(200);
        assertThat(Rest.create(server, "{\"type\":\"x\",\"name\":\"" + wide + "\"}").get("name").asText())
                .isEqualTo(wide);
    }

    @Test
    void badIdempotencyKeyIsInvalidField() {
        HttpResponse<String> r = server.send(server.request(JOBS).header("Content-Type", "application/json")
                .header("Idempotency-Key", "k".repeat(500))
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"x\"}")).build());
        error(r, 400, "invalid_field", "Idempotency-Key");
    }

    @Test
    void unknownQueryParameterOnAnyRouteIsInvalidField() {
        error(server.post(JOBS + "?dryRun=true", "{\"type\":\"x\"}"), 400, "invalid_field", "dryRun");
        error(server.post(JOBS + "/" + id + "/progress?x=1", "{}"), 400, "invalid_field", "x");
        error(server.get(JOBS + "/" + id + "/result?x=1"), 400, "invalid_field", "x");
    }

    // ---- 401 ---------------------------------------------------------------------------

    @Test
    void missingTokenIs401() {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri(JOBS + "/" + id)).GET().build());
        error(r, 401, "unauthorized");
        HttpResponse<String> list = server.send(HttpRequest.newBuilder(server.uri(JOBS)).GET().build());
        error(list, 401, "unauthorized");
        HttpResponse<String> create = server.send(HttpRequest.newBuilder(server.uri(JOBS))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"x\"}")).build());
        error(create, 401, "unauthorized");
    }

    @Test
    void badTokenIs401() {
        for (String auth : List.of("Bearer wrong", "Bearer " + TestServer.TOKEN + "x", "Basic dXNlcjpwYXNz",
                TestServer.TOKEN, "Bearer ")) {
            HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri(JOBS + "/" + id))
                    .header("Authorization", auth).GET().build());
            error(r, 401, "unauthorized");
        }
    }

    @Test
    void accessTokenQueryParameterDoesNotWorkOnRestRoutes() {
        for (String path : List.of(JOBS + "?access_token=" + TestServer.TOKEN,
                JOBS + "/" + id + "?access_token=" + TestServer.TOKEN,
                JOBS + "/" + id + "/logs?access_token=" + TestServer.TOKEN,
                JOBS + "/" + id + "/result?access_token=" + TestServer.TOKEN)) {
            HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri(path)).GET().build());
            error(r, 401, "unauthorized");
        }
        HttpResponse<String> post = server.send(HttpRequest.newBuilder(
                        server.uri(JOBS + "/" + id + "/progress?access_token=" + TestServer.TOKEN))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"percent\":1}")).build());
        error(post, 401, "unauthorized");
    }

    @Test
    void accessTokenQueryParameterWorksOnStreams() {
        try (SseClient sse = SseClient.open(server.client(),
                server.uri(JOBS + "/" + id + "/events?access_token=" + TestServer.TOKEN), null, java.util.Map.of())) {
            assertThat(sse.status()).as("a stream accepts ?access_token=").isEqualTo(200);
        }
        try (SseClient sse = SseClient.open(server.client(),
                server.uri(JOBS + "/" + id + "/events?access_token=wrong"), null, java.util.Map.of())) {
            assertThat(sse.status()).isEqualTo(401);
        }
    }

    @Test
    void unauthorizedRequestsDoNotRevealWhetherAJobExists() {
        HttpResponse<String> known = server.send(HttpRequest.newBuilder(server.uri(JOBS + "/" + id)).GET().build());
        HttpResponse<String> unknown = server.send(HttpRequest.newBuilder(server.uri(JOBS + "/" + Rest.UNKNOWN_ID))
                .GET().build());
        assertThat(known.statusCode()).isEqualTo(401);
        assertThat(unknown.statusCode()).isEqualTo(401);
    }

    // ---- 404 ---------------------------------------------------------------------------

    @Test
    void unknownIdsAre404OnEveryJobRoute() {
        String u = JOBS + "/" + Rest.UNKNOWN_ID;
        error(server.get(u), 404, "not_found");
        error(server.get(u + "/logs"), 404, "not_found");
        error(server.get(u + "/children"), 404, "not_found");
        error(server.get(u + "/result"), 404, "not_found");
        error(server.post(u + "/progress", "{\"percent\":1}"), 404, "not_found");
        for (String action : List.of("start", "complete", "cancel", "retry", "heartbeat")) {
            error(server.post(u + "/" + action, "{}"), 404, "not_found");
        }
        error(server.post(u + "/fail", "{\"error\":{\"message\":\"m\"}}"), 404, "not_found");
        error(server.post(u + "/logs", "{\"level\":\"info\",\"message\":\"m\"}"), 404, "not_found");
    }

    @Test
    void malformedIdsAre404() {
        for (String bad : List.of("abc", "j_short", "j_0000000000000000000000000o", "J_00000000000000000000000000",
                "j_000000000000000000000000000", "%20", "j_%2E%2E", "1")) {
            error(server.get(JOBS + "/" + bad), 404, "not_found");
            error(server.post(JOBS + "/" + bad + "/progress", "{\"percent\":1}"), 404, "not_found");
            error(server.post(JOBS + "/" + bad + "/cancel", "{}"), 404, "not_found");
        }
        // ids that cannot even be decoded
        for (String bad : List.of("%ZZ", "j_%", "%")) {
            for (String[] call : List.of(new String[] {"GET", ""}, new String[] {"POST", "/cancel"})) {
                String answer = RawHttp.exchange(server, call[0], JOBS + "/" + bad + call[1],
                        call[0].equals("POST") ? "{}" : null);
                assertThat(RawHttp.status(answer)).as("%s %s -> %s", call[0], bad, answer).isEqualTo(404);
                assertThat(RawHttp.body(answer)).contains("\"not_found\"");
            }
        }
    }

    @Test
    void unknownPathsAre404() {
        error(server.get("/api/v1/nope"), 404, "not_found");
        error(server.get("/api/v1/jobs/" + id + "/nope"), 404, "not_found");
        error(server.post("/api/v1/jobs/" + id + "/finish", "{}"), 404, "not_found");
        error(server.get("/api/v2/jobs"), 404, null);
    }

    // ---- 405 ---------------------------------------------------------------------------

    @Test
    void wrongMethodOnAKnownPathIs405() {
        error(Rest.send(server, "DELETE", JOBS + "/" + id, null, null), 405, null);
        error(Rest.send(server, "PUT", JOBS + "/" + id, "application/json",
                "{\"type\":\"x\"}".getBytes(StandardCharsets.UTF_8)), 405, null);
        error(Rest.send(server, "PATCH", JOBS, "application/json", "{}".getBytes(StandardCharsets.UTF_8)), 405, null);
        error(Rest.send(server, "DELETE", JOBS, null, null), 405, null);
        error(server.get(JOBS + "/" + id + "/progress"), 405, null);
        error(server.get(JOBS + "/" + id + "/cancel"), 405, null);
        error(server.get("/api/v1/progress:batch"), 405, null);
        error(server.post(JOBS + "/" + id + "/result", "{}"), 405, null);
        assertThat(Rest.job(server, id).get("status").asText()).as("still there").isEqualTo("running");
    }

    // ---- 413 ---------------------------------------------------------------------------

    @Test
    void bodyOver64KiBIs413() {
        String padding = " ".repeat(66 * 1024);
        error(server.post(JOBS, "{\"type\":\"x\"" + padding + "}"), 413, "too_large");
        error(server.post(JOBS + "/" + id + "/progress", "{\"message\":\"" + "m".repeat(70 * 1024) + "\"}"), 413,
                "too_large");
        error(server.post(JOBS + "/" + id + "/logs", "{\"level\":\"info\",\"message\":\"m\"" + padding + "}"), 413,
                "too_large");
    }

    @Test
    void chunkedBodyOver64KiBIs413() {
        byte[] body = ("{\"type\":\"x\",\"name\":\"" + "n".repeat(100 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpRequest req = server.request(JOBS).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();
        error(server.send(req), 413, "too_large");
    }

    @Test
    void messageOver2KiBIs413() {
        error(server.post(JOBS + "/" + id + "/progress", "{\"message\":\"" + "m".repeat(2049) + "\"}"), 413,
                "too_large", "message");
        error(server.post(JOBS + "/" + id + "/fail", "{\"error\":{\"message\":\"" + "m".repeat(2049) + "\"}}"), 413,
                "too_large", "error.message");
        assertThat(server.post(JOBS + "/" + id + "/progress", "{\"message\":\"" + "m".repeat(2048) + "\"}")
                .statusCode()).isEqualTo(202);
    }

    @Test
    void metadataOver8KiBIs413() {
        String big = "{\"blob\":\"" + "b".repeat(8 * 1024) + "\"}";
        error(server.post(JOBS, "{\"type\":\"x\",\"metadata\":" + big + "}"), 413, "too_large", "metadata");
        error(server.post(JOBS + "/" + id + "/progress", "{\"metadata\":" + big + "}"), 413, "too_large", "metadata");
        String fits = "{\"blob\":\"" + "b".repeat(8 * 1024 - 100) + "\"}";
        assertThat(server.post(JOBS + "/" + id + "/progress", "{\"metadata\":" + fits + "}").statusCode())
                .isEqualTo(202);
    }

    // ---- 415 ---------------------------------------------------------------------------

    @Test
    void textPlainBodyIs415() {
        byte[] body = "{\"type\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = Rest.send(server, "POST", JOBS, "text/plain", body);
        error(r, 415, null);
        error(Rest.send(server, "POST", JOBS + "/" + id + "/progress", "text/plain",
                "{\"percent\":1}".getBytes(StandardCharsets.UTF_8)), 415, null);
        error(Rest.send(server, "POST", JOBS, "application/x-www-form-urlencoded", "type=x".getBytes()), 415, null);
        // JSON with a charset parameter is JSON
        assertThat(Rest.send(server, "POST", JOBS, "application/json; charset=utf-8", body).statusCode())
                .isEqualTo(201);
    }

    // ---- never a 5xx -------------------------------------------------------------------

    @Test
    void badInputIsNeverA5xx() {
        String id = Rest.running(server, "fuzz");
        List<String> bodies = List.of("", " ", "\u0000", "{", "}", "[]", "[[[[", "null", "{\"type\":null}",
                "{\"type\":\"x\",\"total\":1e400}", "{\"type\":\"x\",\"total\":-0}", "{\"type\":\"\\ud800\"}",
                "{\"type\":\"x\",\"stages\":[null]}", "{\"type\":\"x\",\"stages\":[{}]}",
                "{\"type\":\"x\",\"maxAttempts\":1e30}", "{\"type\":\"x\",\"total\":123456789012345678901234567890}",
                "{\"current\":1e-400}", "{\"stageIndex\":1e99}", "{\"percent\":\"NaN\"}", "{\"percent\":Infinity}",
                "{\"type\":\"x\",\"metadata\":{\"k\":1e99999}}", "{\"level\":\"info\",\"message\":\"\\u0000\"}",
                "{\"result\":" + "[".repeat(1000) + "}", "{\"error\":null}", "{\"error\":{\"message\":\"\"}}",
                "[{\"jobId\":null}]", "[" + "1,".repeat(500) + "1]", "{\"type\":\"x\\u0007\"}");
        List<String> paths = List.of(JOBS, JOBS + "/" + id + "/progress", JOBS + "/" + id + "/logs",
                JOBS + "/" + id + "/fail", "/api/v1/progress:batch", JOBS + "/" + Rest.UNKNOWN_ID + "/complete");
        for (String path : paths) {
            for (String body : bodies) {
                HttpResponse<String> r = server.post(path, body);
                assertThat(r.statusCode()).as("POST %s %s -> %s", path, body, r.body()).isLessThan(500);
                if (r.statusCode() >= 400) {
                    error(r, r.statusCode(), null);
                }
            }
        }
        for (String query : List.of("?limit=99999999999999999999", "?cursor=%FF", "?status=%00", "?type=",
                "?owner=" + "o".repeat(5000), "?parentId=x&parentId=y")) {
            HttpResponse<String> r = server.get(JOBS + query);
            assertThat(r.statusCode()).as("GET %s -> %s", query, r.body()).isBetween(400, 499);
            error(r, r.statusCode(), null);
        }
        // a query string that cannot be decoded, on every kind of route, streams and their token included
        for (String path : List.of(JOBS + "?cursor=%ZZ", JOBS + "?x=%", JOBS + "?%=1",
                JOBS + "/" + id + "?waitForVersion=%ZZ", "/api/v1/events?jobs=%ZZ",
                JOBS + "/" + id + "/events?access_token=%ZZ", JOBS + "/" + id + "/logs?after=%G1")) {
            String answer = RawHttp.exchange(server, "GET", path, null);
            assertThat(RawHttp.status(answer)).as("GET %s -> %s", path, answer).isEqualTo(400);
            assertThat(RawHttp.body(answer)).contains("\"invalid_field\"");
        }
        for (String path : List.of(JOBS + "?x=%ZZ", "/api/v1/progress:batch?foo=%ZZ",
                JOBS + "/" + id + "/progress?%ZZ")) {
            String answer = RawHttp.exchange(server, "POST", path, "{}");
            assertThat(RawHttp.status(answer)).as("POST %s -> %s", path, answer).isEqualTo(400);
            assertThat(RawHttp.body(answer)).contains("\"invalid_field\"");
        }
        assertThat(Rest.job(server, id).get("status").asText()).as("the job is still readable")
                .isIn("running", "failed");
    }
}
