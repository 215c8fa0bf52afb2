package dev.herald.server.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.server.support.TestServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Helpers of the WebSocket tests: jobs changed over HTTP, client messages, metrics. */
final class Ws {
    static final ObjectMapper JSON = new ObjectMapper();
    /** A bounded wait for something asynchronous; generous, never a performance claim. */
    static final Duration WAIT = Duration.ofSeconds(15);
    /** Well-formed (as far as a client can tell) but never created. */
    static final String UNKNOWN_ID = "j_00000000000000000000000000";
    static final Pattern TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");

    private Ws() {
    }

    static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- jobs over REST ----

    static String create(TestServer server, String status) {
        return createWith(server, "{\"type\":\"ws-test\",\"name\":\"WS test\",\"status\":\"" + status + "\"}");
    }

    static String create(TestServer server, String status, String parentId) {
        return createWith(server, "{\"type\":\"ws-test\",\"name\":\"WS child\",\"status\":\"" + status
                + "\",\"parentId\":\"" + parentId + "\"}");
    }

    private static String createWith(TestServer server, String body) {
        HttpResponse<String> r = server.post("/api/v1/jobs", body);
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

    static void log(TestServer server, String id, String message) {
        ObjectNode body = JSON.createObjectNode().put("level", "info").put("message", message);
        HttpResponse<String> r = server.post("/api/v1/jobs/" + id + "/logs", body.toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
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

    // ---- client messages ----

    static String subscribe(String... jobs) {
        ObjectNode m = JSON.createObjectNode().put("type", "subscribe");
        ArrayNode a = m.putArray("jobs");
        for (String j : jobs) {
            a.add(j);
        }
        return m.toString();
    }

    static String subscribe(Collection<String> jobs) {
        return subscribe(jobs.toArray(String[]::new));
    }

    static String unsubscribe(String... jobs) {
        ObjectNode m = JSON.createObjectNode().put("type", "unsubscribe");
        ArrayNode a = m.putArray("jobs");
        for (String j : jobs) {
            a.add(j);
        }
        return m.toString();
    }

    static String ping(String idJson) {
        return "{\"type\":\"ping\",\"id\":" + idJson + "}";
    }

    // ---- frames ----

    static String type(JsonNode frame) {
        return frame.path("type").asText();
    }

    static boolean is(JsonNode frame, String type, String jobId) {
        return type(frame).equals(type) && frame.path("jobId").asText().equals(jobId);
    }

    static boolean isLog(JsonNode frame, String message) {
        return type(frame).equals("log") && frame.at("/log/message").asText().equals(message);
    }

    /** Checks an error frame of API §4 and answers it. */
    static JsonNode assertError(JsonNode frame, String code) {
        assertThat(type(frame)).as("an error frame: %s", frame).isEqualTo("error");
        assertThat(frame.path("code").asText()).as("code of %s", frame).isEqualTo(code);
        assertThat(frame.path("message").isTextual()).as("message of %s", frame).isTrue();
        assertThat(frame.path("message").asText()).as("message of %s", frame).isNotBlank();
        assertThat(frame.has("ref")).as("ref of %s", frame).isTrue();
        return frame;
    }

    // ---- metrics ----

    /**
     * A sample of {@code /metrics}: the line whose name is {@code name} and whose labels
     * contain {@code label} (e.g. {@code transport="websocket"}), or any labels when null.
     */
    static double metric(TestServer server, String name, String label) {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/metrics")).GET().build());
        assertThat(r.statusCode()).isEqualTo(200);
        for (String line : r.body().split("\n")) {
            if (line.startsWith("#")) {
                continue;
            }
            boolean plain = line.startsWith(name + " ");
            boolean labelled = line.startsWith(name + "{") && (label == null || line.contains(label));
            if (plain && label == null || labelled) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return fail("no metric " + name + (label == null ? "" : "{" + label + "}") + " in /metrics:\n" + r.body());
    }

    static double subscriptions(TestServer server) {
        return metric(server, "herald_subscriptions", null);
    }

    static double openSockets(TestServer server) {
        return metric(server, "herald_streams_open", "transport=\"websocket\"");
    }
}
