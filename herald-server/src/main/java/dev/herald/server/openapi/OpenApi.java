package dev.herald.server.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.json.JobJson;
import dev.herald.server.edge.ApiParam;
import dev.herald.server.edge.ApiRoute;
import dev.herald.server.edge.Limits;
import dev.herald.server.edge.body.Schemas;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * {@code /openapi.json}: the OpenAPI 3.1 description of the routes the server really has, made from the route
 * table: each route's answers, errors, query parameters, headers and body schemas (see {@link ApiSchemas}).
 */
public final class OpenApi {
    /** The error statuses every route can give: a bad query parameter, no or a bad token, a store fault. */
    private static final List<Integer> EVERY_ROUTE = List.of(400, 401, 503);
    /** Each error status, as a shared response: its name and what it means. */
    private static final Map<Integer, String[]> ERRORS = Map.of(
            400, new String[]{"BadRequest", "invalid_json, invalid_field (the field names the body field, query"
                    + " parameter or header) or invalid_progress"},
            401, new String[]{"Unauthorized", "unauthorized: no token, a bad one, or one that may not do this"},
            403, new String[]{"Forbidden", "forbidden: a WebSocket upgrade from a browser page of an origin that"
                    + " is neither the server's own nor one of --cors-origin"},
            404, new String[]{"NotFound", "not_found: no such job (or key), or one the caller may not read"},
            409, new String[]{"Conflict", "job_finished (a terminal job never changes) or invalid_transition;"
                    + " the error's status is the job's"},
            413, new String[]{"TooLarge", "too_large: the body, a field or a list is over its limit"},
            415, new String[]{"UnsupportedMediaType", "unsupported_media_type: send the body as application/json"},
            429, new String[]{"RateLimited", "rate_limited: too many writes, or too many open streams and long"
                    + " polls, for this token"},
            503, new String[]{"Unavailable", "unavailable: the store cannot be reached; retry"});

    private OpenApi() {
    }

    public static String document(List<ApiRoute> routes, String version, Limits limits) {
        ObjectNode root = JobJson.mapper().createObjectNode();
        root.put("openapi", "3.1.0");
        ObjectNode info = root.putObject("info");
        info.put("title", "Herald API");
        info.put("version", version);
        info.put("description", "Real-time progress for long-running jobs. Query parameters are strict: one a"
                + " route does not list is refused (400 invalid_field). This document is served without a token.");
        root.putArray("servers").addObject().put("url", ApiRoute.PREFIX);
        root.putArray("security").addObject().putArray("bearer");
        ObjectNode paths = root.putObject("paths");
        for (ApiRoute r : routes) {
            ObjectNode path = paths.has(r.path()) ? (ObjectNode) paths.get(r.path()) : paths.putObject(r.path());
            path.set(r.method().name().toLowerCase(Locale.ROOT), operation(r));
        }
        ObjectNode self = paths.putObject("/openapi.json").putObject("get");
        self.put("operationId", "getOpenapi");
        self.put("summary", "This document; no token needed");
        self.putArray("security");
        self.putObject("responses").putObject("200").put("description", "the OpenAPI document")
                .putObject("content").putObject("application/json").putObject("schema").put("type", "object");
        root.set("components", components(routes, limits));
        return root.toString();
    }

    private static ObjectNode operation(ApiRoute r) {
        ObjectNode op = JobJson.mapper().createObjectNode();
        op.put("operationId", r.operationId());
        op.put("summary", r.summary());
        if (r.stream()) {
            ArrayNode security = op.putArray("security");
            security.addObject().putArray("bearer");
            security.addObject().putArray("accessToken");
        }
        ArrayNode parameters = op.putArray("parameters");
        if (r.path().contains("{id}")) {
            ObjectNode id = parameters.addObject().put("name", "id").put("in", "path").put("required", true)
                    .put("description", r.path().startsWith("/keys") ? "The key's id."
                            : "The job's id; a malformed one is answered like an unknown one (404).");
            id.set("schema", ApiSchemas.string());
        }
        r.params().forEach(p -> parameters.add(parameter(p)));
        if (parameters.isEmpty()) {
            op.remove("parameters");
        }
        if (r.body() != null) {
            ObjectNode body = op.putObject("requestBody").put("required", r.body().required());
            body.putObject("content").putObject("application/json").set("schema", Schemas.ref(r.body().name()));
        }
        ObjectNode responses = op.putObject("responses");
        for (ApiRoute.Answer a : r.answers()) {
            responses.set(Integer.toString(a.status()), answer(r, a));
        }
        List<Integer> errors = new ArrayList<>(EVERY_ROUTE);
        errors.addAll(r.errors());
        for (int status : new TreeSet<>(errors)) {
            responses.putObject(Integer.toString(status))
                    .put("$ref", "#/components/responses/" + ERRORS.get(status)[0]);
        }
        return op;
    }

    private static ObjectNode parameter(ApiParam p) {
        ObjectNode node = JobJson.mapper().createObjectNode();
        node.put("name", p.name()).put("in", p.header() ? "header" : "query").put("description", p.description());
        ObjectNode schema = switch (p.kind()) {
            case TEXT -> p.header() ? ApiSchemas.string() : ApiSchemas.string().put("minLength", 1);
            case CHOICE -> Schemas.enumOf(p.values());
            case FLAG -> Schemas.type("boolean").put("default", false);
            case INTEGER -> ApiSchemas.integer(p.min()).put("maximum", p.max());
            case LIST -> {
                ObjectNode list = Schemas.type("array");
                list.set("items", p.values().isEmpty() ? ApiSchemas.string() : Schemas.enumOf(p.values()));
                node.put("style", "form").put("explode", false);
                yield list;
            }
        };
        if (p.byDefault() != null) {
            schema.put("default", p.byDefault());
        }
        node.set("schema", schema);
        return node;
    }

    private static ObjectNode answer(ApiRoute r, ApiRoute.Answer a) {
        ObjectNode node = JobJson.mapper().createObjectNode().put("description", a.description());
        if (!a.headers().isEmpty()) {
            ObjectNode headers = node.putObject("headers");
            a.headers().forEach(h -> headers.putObject(h).put("$ref", "#/components/headers/" + h));
        }
        if (r.stream() && a.status() == 200) {
            ObjectNode schema = ApiSchemas.string().put("description", "Server-Sent Events (API §3): the data of each"
                    + " event is an Event (#/components/schemas/Event); ': keep-alive' comments in silences.");
            node.putObject("content").putObject("text/event-stream").set("schema", schema);
        } else if (a.schema() != null) {
            node.putObject("content").putObject("application/json").set("schema", Schemas.ref(a.schema()));
        }
        return node;
    }

    private static ObjectNode components(List<ApiRoute> routes, Limits limits) {
        ObjectNode components = JobJson.mapper().createObjectNode();
        ObjectNode security = components.putObject("securitySchemes");
        security.putObject("bearer").put("type", "http").put("scheme", "bearer")
                .put("description", "An API key or a JWT (API §5).");
        security.putObject("accessToken").put("type", "apiKey").put("in", "query").put("name", ApiRoute.ACCESS_TOKEN)
                .put("description", "The token in the URL, for streams only: browsers cannot give those headers.");
        ObjectNode headers = components.putObject("headers");
        header(headers, "ETag", "The job's version, quoted: send it as If-None-Match.", ApiSchemas.string());
        header(headers, "Location", "The job's URL.", ApiSchemas.string());
        header(headers, "Retry-After", "Seconds to wait before trying again.", ApiSchemas.integer(1));
        ObjectNode responses = components.putObject("responses");
        ERRORS.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            ObjectNode response = responses.putObject(e.getValue()[0]).put("description", e.getValue()[1]);
            if (e.getKey() == 429 || e.getKey() == 503) {
                response.putObject("headers").putObject("Retry-After").put("$ref", "#/components/headers/Retry-After");
            }
            response.putObject("content").putObject("application/json").set("schema", Schemas.ref("Error"));
        });
        ObjectNode schemas = ApiSchemas.answers();
        // the bodies the routes read are documented from the same declarations they are read by
        routes.stream().map(ApiRoute::body).filter(Objects::nonNull).distinct()
                .forEach(b -> schemas.set(b.name(), b.shape().schema(limits)));
        components.set("schemas", schemas);
        return components;
    }

    private static void header(ObjectNode headers, String name, String description, ObjectNode schema) {
        headers.putObject(name).put("description", description).set("schema", schema);
    }
}
