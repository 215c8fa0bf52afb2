package dev.herald.server.stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.json.JsonText;
import dev.herald.json.Times;

import java.time.Instant;
import java.util.List;

/** The WebSocket messages the server sends besides events (API §4), as JSON text. */
final class ServerMessages {
    private ServerMessages() {
    }

    static String subscribed(List<String> jobs) {
        return jobList("subscribed", jobs);
    }

    static String unsubscribed(List<String> jobs) {
        return jobList("unsubscribed", jobs);
    }

    /** {@code ref} is the client message the error answers, or null. */
    static String error(String code, String message, JsonNode ref) {
        return JsonText.object(g -> {
            g.writeStringField("type", "error");
            g.writeStringField("code", code);
            g.writeStringField("message", message);
            g.writeFieldName("ref");
            if (ref == null) {
                g.writeNull();
            } else {
                g.writeTree(ref);
            }
        });
    }

    static String pong(JsonNode id) {
        return JsonText.object(g -> {
            g.writeStringField("type", "pong");
            g.writeFieldName("id");
            g.writeTree(id);
        });
    }

    static String heartbeat(Instant now) {
        return JsonText.object(g -> {
            g.writeStringField("type", "heartbeat");
            g.writeStringField("time", Times.format(now));
        });
    }

    private static String jobList(String type, List<String> jobs) {
        return JsonText.object(g -> {
            g.writeStringField("type", type);
            g.writeArrayFieldStart("jobs");
            for (String id : jobs) {
                g.writeString(id);
            }
            g.writeEndArray();
        });
    }
}
