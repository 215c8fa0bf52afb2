package dev.herald.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.json.JobJson;

import java.util.List;
import java.util.Locale;

/** {@code /openapi.json}: the OpenAPI 3.1 description, generated from the routes the server really has. */
public final class OpenApi {
    private OpenApi() {
    }

    public static String document(List<ApiRoute> routes, String version) {
        ObjectNode root = JobJson.mapper().createObjectNode();
        root.put("openapi", "3.1.0");
        ObjectNode info = root.putObject("info");
        info.put("title", "Herald API");
        info.put("version", version);
        info.put("description", "Real-time progress for long-running jobs. Errors are "
                + "{\"error\":{\"code\",\"message\",\"field\"?}}; see API.md section 6.");
        root.putArray("servers").addObject().put("url", ApiRoute.PREFIX);
        root.putArray("security").addObject().putArray("bearer");
        ObjectNode paths = root.putObject("paths");
        for (ApiRoute r : routes) {
            ObjectNode path = paths.has(r.path()) ? (ObjectNode) paths.get(r.path()) : paths.putObject(r.path());
            ObjectNode op = path.putObject(r.method().name().toLowerCase(Locale.ROOT));
            op.put("operationId", r.operationId());
            op.put("summary", r.summary());
            if (r.path().contains("{id}")) {
                ObjectNode p = op.putArray("parameters").addObject();
                p.put("name", "id").put("in", "path").put("required", true);
                p.putObject("schema").put("type", "string");
            }
            if (r.bodyLimit() > 0) {
                op.putObject("requestBody").putObject("content").putObject("application/json")
                        .putObject("schema").put("type", r.path().endsWith(":batch") ? "array" : "object");
            }
            ObjectNode responses = op.putObject("responses");
            ObjectNode ok = responses.putObject(Integer.toString(r.success()));
            ok.put("description", r.stream() ? "an event stream" : "success");
            if (r.success() == 101) {
                ok.put("description", "switching to the WebSocket protocol");
            } else if (r.stream()) {
                ok.putObject("content").putObject("text/event-stream").putObject("schema").put("type", "string");
            } else if (r.success() != 204) {
                ok.putObject("content").putObject("application/json").putObject("schema")
                        .put("$ref", r.path().startsWith("/jobs") && !r.path().endsWith("s") && r.success() != 202
                                ? "#/components/schemas/Job" : "#/components/schemas/Any");
            }
            for (String status : List.of("400", "401", "404", "409", "413", "429", "503")) {
                responses.putObject(status).put("description", "error")
                        .putObject("content").putObject("application/json").putObject("schema")
                        .put("$ref", "#/components/schemas/Error");
            }
        }
        ObjectNode self = paths.putObject("/openapi.json").putObject("get");
        self.put("operationId", "getOpenapi");
        self.put("summary", "This document");
        self.putArray("security");
        self.putObject("responses").putObject("200").put("description", "the OpenAPI document");
        ObjectNode components = root.putObject("components");
        components.putObject("securitySchemes").putObject("bearer").put("type", "http").put("scheme", "bearer");
        ObjectNode schemas = components.putObject("schemas");
        schemas.putObject("Any").put("type", "object");
        ObjectNode error = schemas.putObject("Error").put("type", "object");
        ObjectNode inner = error.putObject("properties").putObject("error").put("type", "object");
        ObjectNode props = inner.putObject("properties");
        props.putObject("code").put("type", "string");
        props.putObject("message").put("type", "string");
        props.putObject("field").put("type", "string");
        ArrayNode required = inner.putArray("required");
        required.add("code").add("message");
        ObjectNode job = schemas.putObject("Job").put("type", "object");
        ObjectNode jp = job.putObject("properties");
        for (String s : List.of("id", "type", "name", "project", "owner", "parentId", "status", "createdAt",
                "startedAt", "finishedAt", "updatedAt")) {
            jp.putObject(s).put("type", "string");
        }
        for (String n : List.of("attempt", "maxAttempts", "version")) {
            jp.putObject(n).put("type", "integer");
        }
        for (String o : List.of("progress", "children", "eta", "error")) {
            jp.putObject(o).put("type", "object");
        }
        jp.putObject("stages").put("type", "array");
        jp.putObject("result");
        return root.toString();
    }
}
