package dev.herald.server.stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.engine.IdGenerator;
import dev.herald.core.event.EventType;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A message from a WebSocket client (API §4), read strictly: unknown types and
 * fields, and values of the wrong shape, are refused with {@code invalid_message}.
 */
sealed interface ClientMessage {

    /** The job ids named; a malformed id is kept so the answer can name it as unknown. */
    record Subscribe(List<String> jobs, Map<String, Long> since, Set<EventType> types, boolean descendants)
            implements ClientMessage {
    }

    record Unsubscribe(List<String> jobs) implements ClientMessage {
    }

    /** {@code id} is echoed as it came: any JSON value, or null. */
    record Ping(JsonNode id) implements ClientMessage {
    }

    /** Thrown for a message that cannot be understood; the connection stays open. */
    final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    static ClientMessage read(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new Invalid("a message is a JSON object with a \"type\"");
        }
        JsonNode type = n.get("type");
        if (type == null || !type.isTextual()) {
            throw new Invalid("a message needs a \"type\": subscribe, unsubscribe or ping");
        }
        switch (type.textValue()) {
            case "subscribe" -> {
                allow(n, Set.of("type", "jobs", "since", "types", "descendants"));
                JsonNode d = n.get("descendants");
                if (d != null && !d.isBoolean() && !d.isNull()) {
                    throw new Invalid("\"descendants\" must be true or false");
                }
                return new Subscribe(jobs(n), since(n.get("since")), types(n.get("types")), d != null && d.asBoolean());
            }
            case "unsubscribe" -> {
                allow(n, Set.of("type", "jobs"));
                return new Unsubscribe(jobs(n));
            }
            case "ping" -> {
                allow(n, Set.of("type", "id"));
                return new Ping(n.get("id"));
            }
            default -> throw new Invalid("unknown message type '" + shorten(type.textValue())
                    + "': use subscribe, unsubscribe or ping");
        }
    }

    private static void allow(JsonNode n, Set<String> fields) {
        Iterator<String> names = n.fieldNames();
        while (names.hasNext()) {
            String f = names.next();
            if (!fields.contains(f)) {
                throw new Invalid("unknown field '" + shorten(f) + "'");
            }
        }
    }

    private static List<String> jobs(JsonNode n) {
        JsonNode jobs = n.get("jobs");
        if (jobs == null || !jobs.isArray() || jobs.isEmpty()) {
            throw new Invalid("\"jobs\" must be a non-empty array of job ids");
        }
        Set<String> ids = new LinkedHashSet<>();
        for (JsonNode j : jobs) {
            if (!j.isTextual()) {
                throw new Invalid("\"jobs\" must hold job ids (strings)");
            }
            ids.add(j.textValue());
        }
        return new ArrayList<>(ids);
    }

    private static Map<String, Long> since(JsonNode n) {
        if (n == null || n.isNull()) {
            return Map.of();
        }
        if (!n.isObject()) {
            throw new Invalid("\"since\" must be an object of job id to version");
        }
        Map<String, Long> since = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = n.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (!f.getValue().canConvertToLong() || !f.getValue().isIntegralNumber() || f.getValue().asLong() < 0) {
                throw new Invalid("\"since\" versions must be whole numbers of at least 0");
            }
            since.put(f.getKey(), f.getValue().asLong());
        }
        return since;
    }

    private static Set<EventType> types(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isArray()) {
            throw new Invalid("\"types\" must be an array of event types");
        }
        Set<EventType> types = EnumSet.noneOf(EventType.class);
        for (JsonNode t : n) {
            if (!t.isTextual() || EventType.fromWire(t.textValue()).isEmpty()) {
                throw new Invalid("unknown event type " + shorten(t.toString()));
            }
            types.add(EventType.fromWire(t.textValue()).get());
        }
        return types;
    }

    static boolean isJobId(String id) {
        return IdGenerator.looksLikeJobId(id);
    }

    private static String shorten(String s) {
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 100 ? clean.substring(0, 100) + "..." : clean;
    }
}
