package dev.herald.bus.redis;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.event.EventType;
import dev.herald.core.event.JobEvent;
import dev.herald.json.EventJson;
import dev.herald.json.JobJson;
import dev.herald.json.JsonText;

import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * One event on the channel (docs/cluster.md §4.1): a header a receiver can act on
 * without reading the event ({@code n} node, {@code s} the node's sequence,
 * {@code ts} publish time in ms, {@code t} type, {@code j} job, {@code pr} project,
 * {@code a} ancestors, {@code v} version, {@code p} position), and {@code d}, the
 * event's API JSON. {@code d} keeps a result whole, so the event arrives exactly as
 * published; streams cap it when they send it, as they do for local events.
 */
record BusEnvelope(String node, long sequence, long publishedAt, JobEvent event) {
    private static final String D_FIELD = ",\"d\":";

    /** {@code eventJson}: the event's API JSON, made by the caller off the bus's thread. */
    static String encode(String node, long sequence, long publishedAt, JobEvent e, String eventJson) {
        // "n" comes first: a node drops its own messages by this prefix without reading them (ownPrefix)
        String header = JsonText.object(g -> {
            g.writeStringField("n", node);
            g.writeNumberField("s", sequence);
            g.writeNumberField("ts", publishedAt);
            g.writeStringField("t", e.type().wire());
            g.writeStringField("j", e.jobId());
            g.writeStringField("pr", e.project());
            g.writeArrayFieldStart("a");
            for (String ancestor : e.ancestors()) {
                g.writeString(ancestor);
            }
            g.writeEndArray();
            g.writeNumberField("v", e.version());
            g.writeNumberField("p", e.position());
        });
        // d joined as text: through the generator it was copied into its buffer and a growing StringWriter again
        return new StringBuilder(header.length() + D_FIELD.length() + eventJson.length())
                .append(header, 0, header.length() - 1).append(D_FIELD).append(eventJson).append('}').toString();
    }

    /** The start of every message {@link #encode} makes for this node. */
    static String ownPrefix(String node) {
        return "{\"n\":\"" + node + "\"";
    }

    static String eventJson(JobEvent e) {
        return EventJson.toJson(e, Integer.MAX_VALUE);
    }

    /** What a receiver needs to know of a message without reading its event. */
    record Header(String node, long sequence, long publishedAt, EventType type, String jobId, String project,
                  List<String> ancestors) {
    }

    /** {@link #header(String)} of the envelope's bytes, without making them text when laid out as encoded. */
    static Header header(Buffer envelope) {
        Header read = HeaderReader.read(envelope);
        return read != null ? read : header(envelope.toString(StandardCharsets.UTF_8));
    }

    /**
     * The header of a message laid out as {@link #encode} does (every header field before {@code d}), read up to
     * {@code d} and no further; null for anything else, which {@link #decode} then reads whole or refuses.
     */
    static Header header(String message) {
        try (JsonParser p = JobJson.mapper().getFactory().createParser(message)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String node = null;
            String type = null;
            String job = null;
            String project = null;
            Long sequence = null;
            Long publishedAt = null;
            List<String> ancestors = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "n" -> node = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "s" -> sequence = value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : null;
                    case "ts" -> publishedAt = value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : null;
                    case "t" -> type = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "j" -> job = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "pr" -> project = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "a" -> ancestors = value == JsonToken.START_ARRAY ? strings(p) : null;
                    case "d" -> {
                        EventType t = type == null ? null : EventType.fromWire(type).orElse(null);
                        return node == null || node.isEmpty() || sequence == null || publishedAt == null
                                || t == null || job == null || project == null || ancestors == null ? null
                                : new Header(node, sequence, publishedAt, t, job, project, ancestors);
                    }
                    default -> p.skipChildren();
                }
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The strings of the array the parser is at, read to its end; null when it holds anything else. */
    private static List<String> strings(JsonParser p) throws IOException {
        List<String> values = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == JsonToken.VALUE_STRING && values != null) {
                values.add(p.getText());
            } else {
                values = null;
                p.skipChildren();
            }
        }
        return values;
    }

    /** Reads a message of the channel; IllegalArgumentException says why it is no envelope. */
    static BusEnvelope decode(String message) {
        JsonNode n;
        try {
            n = JobJson.mapper().readTree(message);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        JsonNode d = n.get("d");
        if (d == null || !d.isObject()) {
            throw new IllegalArgumentException("no event in \"d\"");
        }
        JobEvent event;
        try {
            event = EventJson.fromNode(d, text(n, "pr"), number(n, "p")).within(ancestors(n));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("\"d\" is not an event: " + e, e);
        }
        if (!event.type().wire().equals(text(n, "t")) || !event.jobId().equals(text(n, "j"))
                || event.version() != number(n, "v")) {
            throw new IllegalArgumentException("the header names another event than \"d\"");
        }
        return new BusEnvelope(required(n, "n"), number(n, "s"), number(n, "ts"),
                event.withJson(eventJson(message, n)));
    }

    /**
     * {@code d} as the publisher wrote it, so readers here get its text rather than a second encoding: in an
     * envelope of {@link #encode} it is the last field, and {@code ,"d":} cannot occur earlier outside a string
     * (a quote inside one is escaped). Of another envelope, null: readers encode the event themselves.
     */
    private static String eventJson(String message, JsonNode n) {
        int start = message.indexOf(D_FIELD);
        Iterator<String> fields = n.fieldNames();
        String last = null;
        while (fields.hasNext()) {
            last = fields.next();
        }
        if (start < 0 || !"d".equals(last) || !message.endsWith("}")) {
            return null;
        }
        return message.substring(start + D_FIELD.length(), message.length() - 1);
    }

    private static String required(JsonNode n, String field) {
        String value = text(n, field);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("no \"" + field + "\"");
        }
        return value;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || !v.isTextual() ? null : v.asText();
    }

    private static long number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.canConvertToLong() || !v.isIntegralNumber()) {
            throw new IllegalArgumentException("\"" + field + "\" is not a whole number");
        }
        return v.asLong();
    }

    private static List<String> ancestors(JsonNode n) {
        JsonNode a = n.get("a");
        if (a == null || !a.isArray()) {
            throw new IllegalArgumentException("\"a\" is not a list of job ids");
        }
        List<String> ids = new ArrayList<>(a.size());
        for (JsonNode id : a) {
            if (!id.isTextual()) {
                throw new IllegalArgumentException("\"a\" is not a list of job ids");
            }
            ids.add(id.asText());
        }
        return ids;
    }
}
