package dev.herald.server.edge.body;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.server.edge.Limits;

import java.util.function.Function;

/**
 * One JSON value of a request: how the server reads it and what {@code /openapi.json} says of it, written side by
 * side so the two cannot drift apart. Limits are the configured ones.
 *
 * @param <T> what the value becomes once read
 */
public interface Shape<T> {

    /**
     * Reads a value that is there (neither absent nor JSON {@code null}), or refuses it with a
     * {@link dev.herald.core.model.HeraldException} naming {@code path}, e.g. {@code stages[1].weight}.
     */
    T read(JsonNode value, String path, Limits limits);

    /** Its JSON Schema (2020-12, as OpenAPI 3.1 has them). */
    ObjectNode schema(Limits limits);

    /** How a value is read: {@link #read}. */
    @FunctionalInterface
    interface Reader<T> {
        T read(JsonNode value, String path, Limits limits);
    }

    static <T> Shape<T> of(Reader<T> reader, Function<Limits, ObjectNode> schema) {
        return new Shape<>() {
            @Override
            public T read(JsonNode value, String path, Limits limits) {
                return reader.read(value, path, limits);
            }

            @Override
            public ObjectNode schema(Limits limits) {
                return schema.apply(limits);
            }
        };
    }
}
