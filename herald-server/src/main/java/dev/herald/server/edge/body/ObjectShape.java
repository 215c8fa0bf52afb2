package dev.herald.server.edge.body;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.server.edge.ClientText;
import dev.herald.server.edge.Limits;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A JSON object of declared fields and nothing else: an unknown field is refused (so a typo never silently does
 * nothing), then the fields are read in the order declared, and the result is made from their values. The
 * document lists the same fields and refuses any other ({@code additionalProperties: false}).
 */
public final class ObjectShape<T> implements Shape<T> {
    private final String description;
    private final List<Part> parts;
    private final List<Field<?>> fields;
    private final Set<String> names;
    private final Function<Values, T> make;

    private ObjectShape(String description, List<Part> parts, Function<Values, T> make) {
        this.description = description;
        this.parts = List.copyOf(parts);
        this.fields = parts.stream().<Field<?>>mapMulti((p, out) -> {
            if (p instanceof Field<?> f) {
                out.accept(f);
            }
        }).toList();
        this.names = fields.stream().map(Field::name).collect(Collectors.toUnmodifiableSet());
        this.make = make;
    }

    public static <T> ObjectShape<T> of(String description, Function<Values, T> make, Part... parts) {
        return new ObjectShape<>(description, List.of(parts), make);
    }

    /** This object with one more field read first, made into something else. */
    public <U> ObjectShape<U> withFirst(Field<?> field, String otherDescription, Function<Values, U> other) {
        List<Part> all = new ArrayList<>();
        all.add(field);
        all.addAll(parts);
        return new ObjectShape<>(otherDescription, all, other);
    }

    @Override
    public T read(JsonNode value, String path, Limits limits) {
        if (!value.isObject()) {
            if (path.isEmpty()) {
                throw new HeraldException(ErrorCode.INVALID_JSON, "the body must be a JSON object");
            }
            throw Schemas.invalid(path, "'" + path + "' must be an object " + outline());
        }
        ObjectNode object = (ObjectNode) value;
        String prefix = path.isEmpty() ? "" : path + ".";
        refuseUnknown(object, prefix);
        Values values = new Values(fields);
        for (Part part : parts) {
            if (part instanceof Field<?> field) {
                values.put(field, field.read(object, prefix, limits));
            } else if (part instanceof Check check) {
                check.rule().accept(values);
            }
        }
        return make.apply(values);
    }

    private void refuseUnknown(ObjectNode object, String prefix) {
        for (Iterator<String> given = object.fieldNames(); given.hasNext(); ) {
            String name = given.next();
            if (!names.contains(name)) {
                String shown = ClientText.printable(name);
                throw Schemas.invalid(prefix + shown, "unknown field '" + prefix + shown + "'");
            }
        }
    }

    /** The fields as a reader sees them, e.g. {@code {code?, message}}. */
    public String outline() {
        StringJoiner out = new StringJoiner(", ", "{", "}");
        fields.forEach(f -> out.add(f.name() + (f.isRequired() ? "" : "?")));
        return out.toString();
    }

    public List<Field<?>> fields() {
        return fields;
    }

    @Override
    public ObjectNode schema(Limits limits) {
        ObjectNode schema = Schemas.type("object").put("description", description);
        ObjectNode properties = schema.putObject("properties");
        var required = schema.putArray("required");
        for (Field<?> f : fields) {
            properties.set(f.name(), f.schema(limits));
            if (f.isRequired()) {
                required.add(f.name());
            }
        }
        return schema.put("additionalProperties", false);
    }
}
