package dev.herald.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static dev.herald.server.rest.Rest.JOBS;
import static org.assertj.core.api.Assertions.assertThat;

/** POST and GET /api/v1/jobs/{id}/logs (API §2). */
class LogsTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> append(String id, String body) {
        return server.post(JOBS + "/" + id + "/logs", body);
    }

    private static long appended(String id, String body) {
        HttpResponse<String> r = append(id, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode seq = Rest.json(r).get("seq");
        assertThat(seq).as("{seq} in %s", r.body()).isNotNull();
        assertThat(seq.isIntegralNumber()).isTrue();
        return seq.asLong();
    }

    private static JsonNode items(String id, String query) {
        HttpResponse<String> r = server.get(JOBS + "/" + id + "/logs" + query);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode items = Rest.json(r).get("items");
        assertThat(items).as("items in %s", r.body()).isNotNull();
        assertThat(items.isArray()).isTrue();
        return items;
    }

    @Test
    void appendAnswers202WithSeqAndReadReturnsLinesInOrder() {
        String id = Rest.running(server, "logs");
        long s1 = appended(id, "{\"level\":\"debug\",\"message\":\"one\"}");
        long s2 = appended(id, "{\"level\":\"info\",\"message\":\"two\",\"fields\":{\"row\":17,\"file\":\"a.csv\"}}");
        long s3 = appended(id, "{\"level\":\"warn\",\"message\":\"three\\nwith a newline\"}");
        long s4 = appended(id, "{\"level\":\"error\",\"message\":\"four\"}");
        assertThat(List.of(s1, s2, s3, s4)).isSorted().doesNotHaveDuplicates();

        JsonNode items = items(id, "");
        assertThat(items).hasSize(4);
        List<Long> seqs = new ArrayList<>();
        for (JsonNode line : items) {
            for (String f : List.of("seq", "time", "level", "message", "fields")) {
                assertThat(line.has(f)).as("%s in %s", f, line).isTrue();
            }
            assertThat(line.get("time").asText()).matches(Rest.TIME);
            seqs.add(line.get("seq").asLong());
        }
        assertThat(seqs).containsExactly(s1, s2, s3, s4);
        assertThat(items.get(0).get("level").asText()).isEqualTo("debug");
        assertThat(items.get(0).get("message").asText()).isEqualTo("one");
        assertThat(items.get(0).get("fields").isNull()).isTrue();
        assertThat(items.get(1).get("level").asText()).isEqualTo("info");
        assertThat(items.get(1).at("/fields/row").asInt()).isEqualTo(17);
        assertThat(items.get(1).at("/fields/file").asText()).isEqualTo("a.csv");
        assertThat(items.get(2).get("level").asText()).isEqualTo("warn");
        assertThat(items.get(2).get("message").asText()).isEqualTo("three\nwith a newline");
        assertThat(items.get(3).get("level").asText()).isEqualTo("error");
    }

    @Test
    void afterAndLimitPage() {
        String id = Rest.running(server, "logs");
        List<Long> seqs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            seqs.add(appended(id, "{\"level\":\"info\",\"message\":\"line " + i + "\"}"));
        }
        JsonNode afterThird = items(id, "?after=" + seqs.get(2));
        assertThat(afterThird).hasSize(7);
        assertThat(afterThird.get(0).get("seq").asLong()).isEqualTo(seqs.get(3));
        assertThat(afterThird.get(0).get("message").asText()).isEqualTo("line 3");

        JsonNode two = items(id, "?after=" + seqs.get(2) + "&limit=2");
        assertThat(two).hasSize(2);
        assertThat(two.get(1).get("seq").asLong()).isEqualTo(seqs.get(4));

        // paging through with after = last seq seen reads every line once, in order
        List<String> messages = new ArrayList<>();
        long after = 0;
        while (true) {
            JsonNode page = items(id, "?after=" + after + "&limit=3");
            if (page.isEmpty()) {
                break;
            }
            page.forEach(l -> messages.add(l.get("message").asText()));
            after = page.get(page.size() - 1).get("seq").asLong();
        }
        assertThat(messages).hasSize(10).startsWith("line 0", "line 1").endsWith("line 9");
        assertThat(items(id, "?after=" + seqs.get(9))).isEmpty();
    }

    @Test
    void logsOfAJobWithoutLogsAreEmpty() {
        assertThat(items(Rest.running(server, "logs"), "")).isEmpty();
    }

    @Test
    void badLevelIsInvalidField() {
        String id = Rest.running(server, "logs");
        Rest.error(append(id, "{\"level\":\"verbose\",\"message\":\"x\"}"), 400, "invalid_field", "level");
        Rest.error(append(id, "{\"level\":\"INFO\",\"message\":\"x\"}"), 400, "invalid_field", "level");
        Rest.error(append(id, "{\"level\":3,\"message\":\"x\"}"), 400, "invalid_field", "level");
        Rest.error(append(id, "{\"message\":\"x\"}"), 400, "invalid_field", "level");
        Rest.error(append(id, "{\"level\":\"info\"}"), 400, "invalid_field", "message");
        Rest.error(append(id, "{\"level\":\"info\",\"message\":\"x\",\"fields\":[1]}"), 400, "invalid_field", "fields");
        Rest.error(append(id, "{\"level\":\"info\",\"message\":\"x\",\"lvl\":1}"), 400, "invalid_field", "lvl");
        assertThat(items(id, "")).as("nothing was appended").isEmpty();
    }

    @Test
    void tooLongMessageIs413() {
        String id = Rest.running(server, "logs");
        Rest.error(append(id, "{\"level\":\"info\",\"message\":\"" + "m".repeat(2049) + "\"}"), 413, "too_large",
                "message");
        appended(id, "{\"level\":\"info\",\"message\":\"" + "m".repeat(2048) + "\"}");
    }

    @Test
    void badQueryParametersAreInvalidField() {
        String id = Rest.running(server, "logs");
        Rest.error(server.get(JOBS + "/" + id + "/logs?after=x"), 400, "invalid_field", "after");
        Rest.error(server.get(JOBS + "/" + id + "/logs?after=-1"), 400, "invalid_field", "after");
        Rest.error(server.get(JOBS + "/" + id + "/logs?limit=0"), 400, "invalid_field", "limit");
        Rest.error(server.get(JOBS + "/" + id + "/logs?limit=x"), 400, "invalid_field", "limit");
        Rest.error(server.get(JOBS + "/" + id + "/logs?since=1"), 400, "invalid_field", "since");
    }

    @Test
    void logsOfAnUnknownJobAre404() {
        Rest.error(server.get(JOBS + "/" + Rest.UNKNOWN_ID + "/logs"), 404, "not_found");
        Rest.error(append(Rest.UNKNOWN_ID, "{\"level\":\"info\",\"message\":\"x\"}"), 404, "not_found");
    }

    @Test
    void logsOfAFinishedJobCanStillBeRead() {
        String id = Rest.running(server, "logs");
        appended(id, "{\"level\":\"info\",\"message\":\"before the end\"}");
        Rest.ok(server, id, "complete", "{}");
        JsonNode items = items(id, "");
        assertThat(items).hasSize(1);
        assertThat(items.get(0).get("message").asText()).isEqualTo("before the end");
    }
}
