package dev.herald.server.edge.body;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.RawJson;
import dev.herald.server.edge.ClientText;
import dev.herald.server.edge.Limits;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/** Fields that are not text or numbers: flags, choices, and JSON kept as the client sent it. */
public final class Shapes {
    private Shapes() {
    }

    public static Shape<Boolean> flag() {
        return Shape.of((value, path, limits) -> {
            if (!value.isBoolean()) {
                throw Schemas.invalid(path, "'" + path + "' must be true or false");
            }
            return value.booleanValue();
        }, limits -> Schemas.type("boolean"));
    }

    /** One of these values, by its wire name. */
    public static <E> Shape<E> choice(List<E> allowed, Function<E, String> wire) {
        List<String> names = allowed.stream().map(wire).toList();
        String list = names.size() == 1 ? names.get(0)
                : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
        return Shape.of((value, path, limits) -> {
            if (!value.isTextual()) {
                throw Schemas.invalid(path, "'" + path + "' must be a string");
            }
            int i = names.indexOf(value.textValue());
            if (i < 0) {
                throw Schemas.invalid(path, "'" + path + "' must be " + list);
            }
            return allowed.get(i);
        }, limits -> Schemas.enumOf(names));
    }

    /** A JSON object of at most {@code maxBytes} (as the UTF-8 of its compact JSON), kept as its text. */
    public static Shape<RawJson> jsonObject(ToIntFunction<Limits> maxBytes) {
        return Shape.of((value, path, limits) -> {
            if (!value.isObject()) {
                throw Schemas.invalid(path, "'" + path + "' must be a JSON object");
            }
            return raw(value, path, maxBytes.applyAsInt(limits));
        }, limits -> Schemas.type("object").put("description", "Any JSON object, at most "
                + maxBytes.applyAsInt(limits) + " bytes of compact JSON."));
    }

    /** Any JSON value of at most {@code maxBytes}, kept as its text. */
    public static Shape<RawJson> json(ToIntFunction<Limits> maxBytes) {
        return Shape.of((value, path, limits) -> raw(value, path, maxBytes.applyAsInt(limits)),
                limits -> Schemas.any("Any JSON value, at most " + maxBytes.applyAsInt(limits)
                        + " bytes of compact JSON."));
    }

    /**
     * Any JSON value as its compact Jackson text, which is what is stored and sent verbatim. Checked so that
     * text is valid JSON everywhere: no number beyond a double (JavaScript and most clients would read Infinity)
     * and no unpaired surrogate (which cannot be encoded as UTF-8).
     */
    private static RawJson raw(JsonNode node, String path, int maxBytes) {
        RawJson raw;
        try {
            raw = new RawJson(node.toString());
        } catch (RuntimeException e) {
            throw Schemas.invalid(path, "'" + path + "' cannot be written as JSON");
        }
        if (raw.utf8Length() > maxBytes) {
            throw HeraldException.field(ErrorCode.TOO_LARGE, path,
                    "'" + path + "' is larger than " + maxBytes + " bytes");
        }
        checkValues(node, path);
        return raw;
    }

    /** Walks the value with a stack rather than recursion; depth is bounded by the parser anyway. */
    private static void checkValues(JsonNode root, String path) {
        Deque<JsonNode> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            JsonNode node = todo.pop();
            if (node.isNumber() && !Double.isFinite(node.doubleValue())) {
                throw Schemas.invalid(path, "'" + path + "' holds a number too large for a double");
            } else if (node.isTextual() && !ClientText.wellFormed(node.textValue())) {
                throw unpaired(path);
            } else if (node.isObject()) {
                for (Map.Entry<String, JsonNode> e : node.properties()) {
                    if (!ClientText.wellFormed(e.getKey())) {
                        throw unpaired(path);
                    }
                    todo.push(e.getValue());
                }
            } else if (node.isArray()) {
                node.forEach(todo::push);
            }
        }
    }

    private static HeraldException unpaired(String path) {
        return Schemas.invalid(path, "'" + path + "' holds an unpaired surrogate, which is not Unicode text");
    }
}
