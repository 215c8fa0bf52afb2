package dev.herald.server.edge.body;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.edge.Limits;

import java.util.function.ToIntFunction;

/**
 * The body a route takes, declared once: the route table names it, the handler reads it (through
 * {@link dev.herald.server.edge.BodyReader}, which refuses to read a body its route does not declare) and
 * {@code /openapi.json} documents it under {@code name}.
 *
 * @param required whether a body must be sent; an optional one left out reads as {@code {}}
 * @param maxBytes the largest body, from the limits
 */
public record Body<T>(String name, Shape<T> shape, boolean required, ToIntFunction<Limits> maxBytes) {

    public static <T> Body<T> required(String name, Shape<T> shape) {
        return new Body<>(name, shape, true, Limits::maxBodyBytes);
    }

    public static <T> Body<T> optional(String name, Shape<T> shape) {
        return new Body<>(name, shape, false, Limits::maxBodyBytes);
    }

    /** The same body under another size limit. */
    public Body<T> limitedTo(ToIntFunction<Limits> bytes) {
        return new Body<>(name, shape, required, bytes);
    }

    public int limit(Limits limits) {
        return maxBytes.applyAsInt(limits);
    }

    /** Reads a parsed body: {@code null} or missing (nothing sent) reads as {@code {}}. */
    public T read(JsonNode parsed, Limits limits) {
        JsonNode value = parsed == null || parsed.isMissingNode() ? Schemas.NODES.objectNode() : parsed;
        return shape.read(value, "", limits);
    }
}
