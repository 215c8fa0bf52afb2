package dev.herald.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** GET /stats/statuses over HTTP: the server's counts per status for a listing's filters, within the caller's projects. */
class StatusCountsTest {
    private static final String COUNTS = "/api/v1/stats/statuses";
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode counts(String query) {
        HttpResponse<String> r = server.get(COUNTS + query);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Rest.json(r);
    }

    private static String job(String project, String type, String status) {
        return Rest.createId(server, "{\"type\":\"" + type + "\",\"project\":\"" + project + "\",\"status\":\""
                + status + "\"}");
    }

    @Test
    void countsEveryJobAListingWithTheseFiltersWouldShow() {
        String project = "counts-" + UUID.randomUUID();
        String parent = job(project, "import", "running");
        job(project, "import", "pending");
        Rest.ok(server, job(project, "import", "running"), "complete", "{}");
        job(project, "export", "queued");
        Rest.createId(server, "{\"type\":\"part\",\"parentId\":\"" + parent + "\",\"status\":\"running\"}");

        // a change is counted once durable: at most a flush after it was answered
        await().atMost(Duration.ofSeconds(10)).until(() -> counts("?project=" + project).get("total").asInt() == 5);
        assertThat(counts("?project=" + project).get("counts").toString()).isEqualTo(
                "{\"pending\":1,\"queued\":1,\"running\":2,\"completed\":1,\"failed\":0,\"cancelled\":0}");
        assertThat(counts("?project=" + project + "&type=import").at("/counts/running").asInt()).isEqualTo(1);
        assertThat(counts("?project=" + project + "&type=import").get("total").asInt()).isEqualTo(3);
        assertThat(counts("?parentId=" + parent).get("counts").toString()).isEqualTo(
                "{\"pending\":0,\"queued\":0,\"running\":1,\"completed\":0,\"failed\":0,\"cancelled\":0}");
        assertThat(counts("?project=" + project + "&owner=nobody").get("total").asInt()).isZero();
    }

    @Test
    void aKeyForOneProjectCountsThatProjectOnly() {
        String mine = "mine-" + UUID.randomUUID();
        String theirs = "theirs-" + UUID.randomUUID();
        job(mine, "import", "running");
        job(theirs, "import", "running");
        HttpResponse<String> key = server.post("/api/v1/keys", "{\"project\":\"" + mine + "\",\"scope\":\"read\"}");
        assertThat(key.statusCode()).as(key.body()).isEqualTo(201);
        String token = Rest.json(key).get("token").asText();

        await().atMost(Duration.ofSeconds(10)).until(() -> counts("?project=" + theirs).get("total").asInt() == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> countsAs(token, "").get("total").asInt() == 1);
        assertThat(countsAs(token, "?project=" + mine).get("total").asInt()).isEqualTo(1);
        assertThat(countsAs(token, "?project=" + theirs).get("total").asInt()).as("a project it may not read").isZero();
    }

    private static JsonNode countsAs(String token, String query) {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri(COUNTS + query))
                .header("Authorization", "Bearer " + token).GET().build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Rest.json(r);
    }

    @Test
    void badInputIsRefusedWithTheFieldAtFault() {
        String tooLong = "x".repeat(201);
        String[][] cases = {{"?project=", "project"}, {"?status=running", "status"}, {"?limit=5", "limit"},
                {"?type=" + tooLong, "type"}, {"?parentId=" + tooLong, "parentId"}};
        for (String[] c : cases) {
            HttpResponse<String> r = server.get(COUNTS + c[0]);
            assertThat(r.statusCode()).as(c[0] + " -> " + r.body()).isEqualTo(400);
            assertThat(Rest.json(r).at("/error/code").asText()).isEqualTo("invalid_field");
            assertThat(Rest.json(r).at("/error/field").asText()).isEqualTo(c[1]);
        }
        HttpResponse<String> anonymous = server.send(HttpRequest.newBuilder(server.uri(COUNTS)).GET().build());
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }
}
