package dev.herald.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.model.RawJson;
import dev.herald.json.JobJson;

import java.util.Locale;

/**
 * The SDK's "any JSON-able object" arguments (metadata, results, log fields, input) as JSON text, made at the
 * call so that an object Jackson cannot write is refused there, not on the sender's thread. A {@link RawJson} or a
 * Jackson {@link JsonNode} is taken as the JSON it is.
 */
final class JsonArguments {
    private JsonArguments() {
    }

    /** Any JSON value, or null for null. */
    static RawJson value(Object value, String what) {
        JsonNode node = node(value, what);
        return node == null || node.isNull() ? null : new RawJson(node.toString());
    }

    /** A JSON object (a {@code Map}, a record, a bean), or null for null. */
    static RawJson object(Object value, String what) {
        JsonNode node = node(value, what);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(what + " must be a JSON object (a Map, a record or a bean), not "
                    + node.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return new RawJson(node.toString());
    }

    private static JsonNode node(Object value, String what) {
        if (value instanceof RawJson raw) {
            try {
                return JobJson.mapper().readTree(raw.text());
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(what + " is not valid JSON: " + e.getOriginalMessage(), e);
            }
        }
        try {
            return JobJson.mapper().valueToTree(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " cannot be written as JSON: " + e.getMessage(), e);
        }
    }
}
