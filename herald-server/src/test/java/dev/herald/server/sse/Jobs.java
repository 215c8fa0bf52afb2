package dev.herald.server.sse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.server.support.SseClient;
import dev.herald.server.support.TestServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Small helpers of the SSE tests: making jobs, changing them over HTTP, reading event data. */
final class Jobs {
    static final ObjectMapper JSON = new ObjectMapper();
    /** A bounded wait for something asynchronous; generous, never a performance claim. */
    static final Duration WAIT = Duration.ofSeconds(15);

    private Jobs() {
    }

    static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates a job with the given status ("pending", "queued" or "running") and answers its id. */
    static String create(TestServer server, String status) {
        HttpResponse<String> r = server.post("/api/v1/jobs",
                "{\"type\":\"sse-test\",\"name\":\"SSE test\",\"status\":\"" + status + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return tree(r.body()).get("id").asText();
    }

    static JsonNode job(TestServer server, String id) {
        HttpResponse<String> r = server.get("/api/v1/jobs/" + id);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return tree(r.body());
    }

    static long version(TestServer server, String id) {
        return job(server, id).get("version").asLong();
    }

    /** Appends a log line; answers its seq. */
    static long log(TestServer server, String id, String message) {
        ObjectNode body = JSON.createObjectNode().put("level", "info").put("message", message);
        HttpResponse<String> r = server.post("/api/v1/jobs/" + id + "/logs", body.toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return tree(r.body()).get("seq").asLong();
    }

    static long progress(TestServer server, String id, String json) {
        HttpResponse<String> r = server.post("/api/v1/jobs/" + id + "/progress", json);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return tree(r.body()).get("version").asLong();
    }

    static JsonNode action(TestServer server, String id, String action, String body) {
        HttpResponse<String> r = server.post("/api/v1/jobs/" + id + "/" + action, body);
        assertThat(r.statusCode()).as(action + ": " + r.body()).isEqualTo(200);
        return tree(r.body());
    }

    /** The data of an event, checked to be one line of JSON. */
    static JsonNode data(SseClient.Event e) {
        assertThat(e).as("an event").isNotNull();
        assertThat(e.data()).as("one data line per event: " + e.data()).doesNotContain("\n");
        return tree(e.data());
    }

    /** The next event (not a comment), failing when none comes within the wait. */
    static SseClient.Event next(SseClient sse) {
        SseClient.Event e = sse.next(WAIT);
        if (e == null) {
            fail("no event within " + WAIT + " (stream ended: " + sse.ended() + ")");
        }
        return e;
    }

    /** Events up to and including the first that matches, failing when it does not come within the wait. */
    static List<SseClient.Event> until(SseClient sse, Predicate<SseClient.Event> last) {
        List<SseClient.Event> out = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos() * 2;
        while (true) {
            long left = deadline - System.nanoTime();
            SseClient.Event e = left <= 0 ? null : sse.next(Duration.ofNanos(left));
            if (e == null) {
                fail("the awaited event did not come (stream ended: " + sse.ended() + "); got " + out.size()
                        + " events, the last: " + (out.isEmpty() ? null : out.get(out.size() - 1)));
            }
            out.add(e);
            if (last.test(e)) {
                return out;
            }
        }
    }

    static Predicate<SseClient.Event> logMessage(String message) {
        return e -> e.event().equals("log") && tree(e.data()).at("/log/message").asText().equals(message);
    }

    static Predicate<SseClient.Event> statusTo(String to) {
        return e -> e.event().equals("status") && tree(e.data()).path("to").asText().equals(to);
    }

    /** Reads a gauge of {@code /metrics} (first sample whose name, with labels, starts with the prefix). */
    static double metric(TestServer server, String prefix) {
        HttpResponse<String> r = server.send(java.net.http.HttpRequest.newBuilder(server.uri("/metrics")).GET()
                .build());
        assertThat(r.statusCode()).isEqualTo(200);
        for (String line : r.body().split("\n")) {
            if (line.startsWith(prefix + " ") || line.startsWith(prefix + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return fail("no metric " + prefix + " in /metrics:\n" + r.body());
    }
}
