package dev.herald.server.tree;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.server.support.SseClient;
import dev.herald.server.support.TestServer;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/** Helpers of the job-tree tests: creating jobs under parents, changing them over HTTP, reading events. */
final class Tree {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String JOBS = "/api/v1/jobs";
    /** Well-formed but never created. */
    static final String UNKNOWN_ID = "j_00000000000000000000000000";
    /** Bounded wait for a summary to settle (the contract says 250 ms; generous, never a performance claim). */
    static final Duration SETTLE = Duration.ofSeconds(5);
    /** Bounded wait for an SSE event. */
    static final Duration WAIT = Duration.ofSeconds(10);
    static final String FAIL_BODY = "{\"error\":{\"code\":\"boom\",\"message\":\"broken\"}}";

    private Tree() {
    }

    static JsonNode json(HttpResponse<String> r) {
        return json(r.body(), "HTTP " + r.statusCode());
    }

    static JsonNode json(String text, String what) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return fail("not JSON (" + what + "): " + text);
        }
    }

    static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    static ObjectNode body(String type, String parentId, String status) {
        ObjectNode b = JSON.createObjectNode().put("type", type);
        if (parentId != null) {
            b.put("parentId", parentId);
        }
        if (status != null) {
            b.put("status", status);
        }
        return b;
    }

    /** POST /jobs expecting 201; the job. */
    static JsonNode create(TestServer s, ObjectNode body) {
        HttpResponse<String> r = s.post(JOBS, body.toString());
        assertThat(r.statusCode()).as("create %s -> %s", body, r.body()).isEqualTo(201);
        return json(r);
    }

    /** A job under {@code parentId} (null: a root) in this status ("pending", "queued" or "running"); its id. */
    static String create(TestServer s, String parentId, String status) {
        return create(s, body("tree-test", parentId, status)).get("id").asText();
    }

    static String root(TestServer s) {
        return create(s, null, "running");
    }

    static JsonNode job(TestServer s, String id) {
        HttpResponse<String> r = s.get(JOBS + "/" + id);
        assertThat(r.statusCode()).as("GET %s -> %s", id, r.body()).isEqualTo(200);
        return json(r);
    }

    static String status(TestServer s, String id) {
        return job(s, id).get("status").asText();
    }

    static HttpResponse<String> post(TestServer s, String id, String action, String body) {
        return s.post(JOBS + "/" + id + "/" + action, body);
    }

    /** An action answered 200 with the job. */
    static JsonNode ok(TestServer s, String id, String action, String body) {
        HttpResponse<String> r = post(s, id, action, body);
        assertThat(r.statusCode()).as("%s %s -> %s", action, id, r.body()).isEqualTo(200);
        return json(r);
    }

    static JsonNode complete(TestServer s, String id) {
        return ok(s, id, "complete", "{}");
    }

    static JsonNode failJob(TestServer s, String id) {
        return ok(s, id, "fail", FAIL_BODY);
    }

    static JsonNode cancel(TestServer s, String id) {
        return ok(s, id, "cancel", "{}");
    }

    /** Progress that must be accepted (202); the new version. */
    static long progress(TestServer s, String id, String body) {
        HttpResponse<String> r = post(s, id, "progress", body);
        assertThat(r.statusCode()).as("progress %s %s -> %s", id, body, r.body()).isEqualTo(202);
        return json(r).get("version").asLong();
    }

    static void log(TestServer s, String id, String message) {
        ObjectNode b = JSON.createObjectNode().put("level", "info").put("message", message);
        HttpResponse<String> r = post(s, id, "logs", b.toString());
        assertThat(r.statusCode()).as("log %s -> %s", id, r.body()).isEqualTo(202);
    }

    /** An error answer of API §6 with this status and code; the error object. */
    static JsonNode error(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as("status of %s", r.body()).isEqualTo(status);
        JsonNode e = json(r).get("error");
        assertThat(e).as("error object in %s", r.body()).isNotNull();
        assertThat(e.path("code").asText()).as(r.body()).isEqualTo(code);
        assertThat(e.path("message").asText()).as(r.body()).isNotBlank();
        return e;
    }

    /** Waits (bounded) until the job passes the check. */
    static void eventually(TestServer s, String id, Consumer<JsonNode> check) {
        await().atMost(SETTLE).pollInterval(Duration.ofMillis(25))
                .untilAsserted(() -> check.accept(job(s, id)));
    }

    // ---- SSE ----

    static SseClient open(TestServer s, String pathAndQuery) {
        SseClient sse = SseClient.open(s, pathAndQuery);
        assertThat(sse.status()).as("stream %s: %s", pathAndQuery, sse.status() == 200 ? "" : sse.errorBody())
                .isEqualTo(200);
        return sse;
    }

    /** The data of an event, checked to be one line of JSON. */
    static JsonNode data(SseClient.Event e) {
        assertThat(e).as("an event").isNotNull();
        return json(e.data(), e.event() + " event");
    }

    static String jobId(SseClient.Event e) {
        return data(e).get("jobId").asText();
    }

    static SseClient.Event next(SseClient sse) {
        SseClient.Event e = sse.next(WAIT);
        if (e == null) {
            fail("no event within " + WAIT + " (stream ended: " + sse.ended() + ")");
        }
        return e;
    }

    /** The first {@code n} events, all of which must be snapshots. */
    static List<SseClient.Event> snapshots(SseClient sse, int n) {
        List<SseClient.Event> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SseClient.Event e = next(sse);
            assertThat(e.event()).as("event %d of the opening: %s", i, e).isEqualTo("snapshot");
            out.add(e);
        }
        return out;
    }

    /** Events up to and including the first that matches; fails when it does not come within the wait. */
    static List<SseClient.Event> until(SseClient sse, Predicate<SseClient.Event> last) {
        List<SseClient.Event> out = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            SseClient.Event e = left <= 0 ? null : sse.next(Duration.ofNanos(left));
            if (e == null) {
                fail("the awaited event did not come (stream ended: " + sse.ended() + "); got " + out.size()
                        + " events: " + describe(out));
            }
            out.add(e);
            if (last.test(e)) {
                return out;
            }
        }
    }

    static Predicate<SseClient.Event> statusOf(String jobId, String to) {
        return e -> e.event().equals("status") && jobId(e).equals(jobId) && data(e).path("to").asText().equals(to);
    }

    static Predicate<SseClient.Event> logOf(String jobId, String message) {
        return e -> e.event().equals("log") && jobId(e).equals(jobId)
                && data(e).at("/log/message").asText().equals(message);
    }

    /** "type:jobId[:detail]" lines, for failure messages. */
    static List<String> describe(List<SseClient.Event> events) {
        List<String> out = new ArrayList<>();
        for (SseClient.Event e : events) {
            JsonNode d = data(e);
            String detail = switch (e.event()) {
                case "status" -> ":" + d.path("from").asText() + "->" + d.path("to").asText();
                case "log" -> ":" + d.at("/log/message").asText();
                case "children" -> ":" + d.at("/job/children/text").asText();
                default -> "";
            };
            out.add(e.event() + ":" + d.path("jobId").asText() + detail);
        }
        return out;
    }
}
