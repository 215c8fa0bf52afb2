package dev.herald.server.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.server.support.JobsOverRest;
import dev.herald.server.support.TestServer;

import java.util.Collection;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Helpers of the WebSocket tests: jobs changed over HTTP, client messages, metrics. */
final class Ws extends JobsOverRest {
    /** Well-formed (as far as a client can tell) but never created. */
    static final String UNKNOWN_ID = "j_00000000000000000000000000";
    static final Pattern TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");

    private Ws() {
    }

    // ---- jobs over REST ----

    static String create(TestServer server, String status) {
        return createWith(server, "{\"type\":\"ws-test\",\"name\":\"WS test\",\"status\":\"" + status + "\"}");
    }

    static String create(TestServer server, String status, String parentId) {
        return createWith(server, "{\"type\":\"ws-test\",\"name\":\"WS child\",\"status\":\"" + status
                + "\",\"parentId\":\"" + parentId + "\"}");
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

    static double openSockets(TestServer server) {
        return metric(server, "herald_streams_open", "transport=\"websocket\"");
    }
}
