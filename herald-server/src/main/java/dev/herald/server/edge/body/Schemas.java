package dev.herald.server.edge.body;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/** Building blocks of JSON Schemas, and of the refusals that go with them. */
public final class Schemas {
    public static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Schemas() {
    }

    public static ObjectNode type(String type) {
        return NODES.objectNode().put("type", type);
    }

    public static ObjectNode ref(String schema) {
        return NODES.objectNode().put("$ref", "#/components/schemas/" + schema);
    }

    /** Any value: the empty schema. */
    public static ObjectNode any(String description) {
        return NODES.objectNode().put("description", description);
    }

    /** The schema, or null: {@code ["T","null"]} for a plain type, {@code anyOf} around anything else. */
    public static ObjectNode nullable(ObjectNode schema) {
        JsonNode type = schema.get("type");
        if (type != null && type.isTextual()) {
            schema.putArray("type").add(type.textValue()).add("null");
            if (schema.get("enum") instanceof ArrayNode values) {
                values.addNull();
            }
            return schema;
        }
        if (!schema.has("$ref") && !schema.has("oneOf") && !schema.has("anyOf")) {
            return schema; // no type: null is already allowed
        }
        ObjectNode either = NODES.objectNode();
        either.putArray("anyOf").add(schema).add(type("null"));
        return either;
    }

    public static ObjectNode array(ObjectNode items) {
        ObjectNode a = type("array");
        a.set("items", items);
        return a;
    }

    public static ObjectNode oneOf(ObjectNode... choices) {
        ObjectNode o = NODES.objectNode();
        o.putArray("oneOf").addAll(Arrays.asList(choices));
        return o;
    }

    public static ObjectNode enumOf(List<String> values) {
        ObjectNode e = type("string");
        values.forEach(e.putArray("enum")::add);
        return e;
    }

    public static <E> ObjectNode choice(E[] values, Function<E, String> wire) {
        return enumOf(Arrays.stream(values).map(wire).toList());
    }

    /** Absent, or JSON {@code null}, which means the same. */
    public static boolean absent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    public static HeraldException invalid(String field, String message) {
        return HeraldException.field(ErrorCode.INVALID_FIELD, field, message);
    }
}
