package dev.herald.server.edge.body;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.server.edge.Limits;

/**
 * A field of a request object. A JSON {@code null} reads as absent, so clients may echo a job's own
 * {@code null}s back: an optional field then takes its fallback, a required one is missing.
 */
public final class Field<T> implements Part {
    private final String name;
    private final Shape<T> shape;
    private final boolean required;
    private final T fallback;
    private final String description;

    private Field(String name, Shape<T> shape, boolean required, T fallback, String description) {
        this.name = name;
        this.shape = shape;
        this.required = required;
        this.fallback = fallback;
        this.description = description;
    }

    public static <T> Field<T> required(String name, Shape<T> shape) {
        return new Field<>(name, shape, true, null, null);
    }

    /** Null when absent. */
    public static <T> Field<T> optional(String name, Shape<T> shape) {
        return new Field<>(name, shape, false, null, null);
    }

    public static <T> Field<T> optional(String name, Shape<T> shape, T fallback) {
        return new Field<>(name, shape, false, fallback, null);
    }

    /** The same field with a description for the document. */
    public Field<T> described(String text) {
        return new Field<>(name, shape, required, fallback, text);
    }

    public String name() {
        return name;
    }

    public boolean isRequired() {
        return required;
    }

    /** Reads the field from its object; {@code prefix} is the object's path and a dot, or empty at the top. */
    public T read(ObjectNode object, String prefix, Limits limits) {
        JsonNode value = object.get(name);
        String path = prefix + name;
        if (Schemas.absent(value)) {
            if (required) {
                throw Schemas.invalid(path, "missing required field '" + path + "'");
            }
            return fallback;
        }
        return shape.read(value, path, limits);
    }

    /** The field's schema; an optional one may be {@code null}, which means absent. */
    ObjectNode schema(Limits limits) {
        ObjectNode schema = shape.schema(limits);
        if (!required) {
            schema = Schemas.nullable(schema);
        }
        return description == null ? schema : schema.put("description", description);
    }
}
