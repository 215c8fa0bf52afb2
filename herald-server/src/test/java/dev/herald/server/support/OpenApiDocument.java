package dev.herald.server.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The server's {@code /openapi.json}, read as a client would: its operations, their parameters, and a JSON Schema
 * validator for its schemas. {@link #strictErrors} also refuses fields a schema does not name, so a test can tell
 * that a real answer carries nothing undocumented (the document itself leaves answers open to additions).
 */
public final class OpenApiDocument {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String URI = "https://herald.test/openapi.json";
    private static final String STRICT_URI = "https://herald.test/strict.json";
    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete", "head", "options");

    /** One operation: {@code path} as documented, below {@code /api/v1}. */
    public record Operation(String method, String path, JsonNode node) {
        /** The query parameters it documents, the token of a query security scheme included. */
        public Set<String> queryNames(OpenApiDocument doc) {
            Set<String> names = new LinkedHashSet<>();
            for (JsonNode p : node.path("parameters")) {
                if (p.path("in").asText().equals("query")) {
                    names.add(p.path("name").asText());
                }
            }
            for (JsonNode alternative : node.path("security")) {
                alternative.fieldNames().forEachRemaining(scheme -> {
                    JsonNode s = doc.root.path("components").path("securitySchemes").path(scheme);
                    if (s.path("type").asText().equals("apiKey") && s.path("in").asText().equals("query")) {
                        names.add(s.path("name").asText());
                    }
                });
            }
            return names;
        }

        public JsonNode queryParameter(String name) {
            for (JsonNode p : node.path("parameters")) {
                if (p.path("in").asText().equals("query") && p.path("name").asText().equals(name)) {
                    return p;
                }
            }
            return null;
        }

        /** The schema name of the request body, or null. */
        public String requestSchema() {
            return schemaName(node.path("requestBody").path("content").path("application/json").path("schema"));
        }

        public String label() {
            return method.toUpperCase(Locale.ROOT) + " " + path;
        }
    }

    private final JsonNode root;
    private final SchemaRegistry registry;

    public OpenApiDocument(String text) {
        this.root = read(text);
        ObjectNode strict = (ObjectNode) root.deepCopy();
        close(strict);
        this.registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                b -> b.schemas(Map.of(URI, text, STRICT_URI, strict.toString())));
    }

    public JsonNode root() {
        return root;
    }

    public List<Operation> operations() {
        List<Operation> ops = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = root.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fields().forEachRemaining(m -> {
                if (METHODS.contains(m.getKey())) {
                    ops.add(new Operation(m.getKey(), path.getKey(), m.getValue()));
                }
            });
        }
        return ops;
    }

    public Operation operation(String method, String path) {
        return operations().stream().filter(o -> o.method().equalsIgnoreCase(method) && o.path().equals(path))
                .findFirst().orElseThrow(() -> new AssertionError("not documented: " + method + " " + path));
    }

    /** A documented component schema. */
    public JsonNode schema(String name) {
        return root.path("components").path("schemas").path(name);
    }

    /**
     * The schema the operation documents for an answer with this status and a JSON body, or null when it
     * documents no such answer; a shared response ({@code $ref}) is followed.
     */
    public String answerSchema(Operation op, int status) {
        JsonNode response = op.node().path("responses").path(Integer.toString(status));
        if (response.has("$ref")) {
            response = pointer(response.get("$ref").asText());
        }
        if (response.isMissingNode()) {
            return null;
        }
        return schemaName(response.path("content").path("application/json").path("schema"));
    }

    public boolean documentsStatus(Operation op, int status) {
        return op.node().path("responses").has(Integer.toString(status));
    }

    /** Why the value does not match the named component schema; empty when it does. */
    public List<String> errors(String schema, JsonNode value) {
        return validate(URI, schema, value);
    }

    /** Like {@link #errors}, and a field that the schema (or one it names) does not list is an error too. */
    public List<String> strictErrors(String schema, JsonNode value) {
        return validate(STRICT_URI, schema, value);
    }

    private List<String> validate(String uri, String schema, JsonNode value) {
        if (schema(schema).isMissingNode()) {
            return List.of("no schema " + schema);
        }
        List<Error> errors = registry.getSchema(SchemaLocation.of(uri + "#/components/schemas/" + schema))
                .validate(value);
        return errors.stream().map(Error::toString).toList();
    }

    /**
     * A value the schema accepts: every property ({@code all}) or only the required ones, the smallest number,
     * the first choice, {@code "x"} for text.
     */
    public JsonNode example(JsonNode schema, boolean all) {
        if (schema.has("$ref")) {
            return example(pointer(schema.get("$ref").asText()), all);
        }
        for (String choices : List.of("oneOf", "anyOf")) {
            if (schema.has(choices)) {
                return example(schema.get(choices).get(0), all);
            }
        }
        if (schema.has("const")) {
            return schema.get("const");
        }
        if (schema.has("enum")) {
            return schema.get("enum").get(0);
        }
        JsonNode type = schema.path("type");
        String t = type.isArray() ? type.get(0).asText() : type.asText("any");
        return switch (t) {
            case "object" -> {
                ObjectNode o = JSON.createObjectNode();
                Set<String> required = new LinkedHashSet<>();
                schema.path("required").forEach(r -> required.add(r.asText()));
                schema.path("properties").fields().forEachRemaining(p -> {
                    if (all || required.contains(p.getKey())) {
                        o.set(p.getKey(), example(p.getValue(), all));
                    }
                });
                yield o;
            }
            case "array" -> {
                ArrayNode a = JSON.createArrayNode();
                a.add(example(schema.path("items"), all));
                yield a;
            }
            case "integer", "number" -> JSON.getNodeFactory().numberNode(schema.path("minimum").asLong(0));
            case "boolean" -> JSON.getNodeFactory().booleanNode(true);
            case "string" -> JSON.getNodeFactory().textNode("x");
            default -> JSON.createObjectNode();
        };
    }

    private JsonNode pointer(String ref) {
        if (!ref.startsWith("#")) {
            throw new AssertionError("not a local reference: " + ref);
        }
        return root.at(ref.substring(1));
    }

    private static String schemaName(JsonNode schema) {
        String ref = schema.path("$ref").asText(null);
        return ref == null ? null : ref.substring(ref.lastIndexOf('/') + 1);
    }

    /** Every object schema that lists properties and says nothing of others now refuses them. */
    private static void close(JsonNode node) {
        if (node instanceof ObjectNode o && o.has("properties") && !o.has("additionalProperties")) {
            o.put("additionalProperties", false);
        }
        node.forEach(OpenApiDocument::close);
    }

    private static JsonNode read(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
