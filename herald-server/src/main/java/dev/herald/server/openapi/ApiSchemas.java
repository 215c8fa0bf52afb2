package dev.herald.server.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.auth.Scope;
import dev.herald.core.command.NewJob;
import dev.herald.core.event.EventType;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.Eta;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLevel;

import java.util.List;

import static dev.herald.server.edge.body.Schemas.array;
import static dev.herald.server.edge.body.Schemas.choice;
import static dev.herald.server.edge.body.Schemas.enumOf;
import static dev.herald.server.edge.body.Schemas.nullable;
import static dev.herald.server.edge.body.Schemas.oneOf;
import static dev.herald.server.edge.body.Schemas.ref;
import static dev.herald.server.edge.body.Schemas.type;

/**
 * The JSON Schemas (2020-12, as OpenAPI 3.1 has them) of every body the API takes and gives, by the names the
 * route table uses. A field the server may leave null is typed {@code [T, "null"]}; request bodies refuse
 * unknown fields ({@code additionalProperties: false}), as the server does. Limits are the configured ones.
 */
final class ApiSchemas {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String JOB_ID = "^j_[0-9A-HJKMNP-TV-Z]{26}$";

    private final ObjectNode schemas = NODES.objectNode();

    private ApiSchemas() {
    }

    /**
     * The schemas of every answer and event, for {@code components.schemas}; those of request bodies come from
     * the bodies' own declarations ({@link dev.herald.server.edge.body.Body}).
     */
    static ObjectNode answers() {
        ApiSchemas s = new ApiSchemas();
        s.define();
        return s.schemas;
    }

    private void define() {
        define("JobStatus", choice(JobStatus.values(), JobStatus::wire));
        define("Stage", obj("A stage and its weight; weights are normalised to 100.")
                .req("name", string()).req("weight", number().put("exclusiveMinimum", 0)).node);
        define("Progress", obj("The job's progress; the reporter's fields stay until replaced.")
                .req("stage", nullable(string())).req("stageIndex", nullable(integer(0)))
                .req("current", nullable(number().put("minimum", 0))).req("total", nullable(number().put("minimum", 0)))
                .req("unit", nullable(string())).req("percent", percent("Computed by the server (API §1)."))
                .req("message", nullable(string())).req("metadata", nullable(object())).node);
        Obj children = obj("Counts of the direct children by status, their mean percent, and a text.");
        for (JobStatus status : JobStatus.values()) {
            children.req(status.wire(), integer(0));
        }
        define("ChildrenSummary", children.req("total", integer(0))
                .req("percent", percent("The mean over the direct children; a finished one counts 100."))
                .req("text", string()).node);
        define("Eta", obj("The estimated remaining time and its likely range (API §10).")
                .req("remainingMs", integer(0)).req("low", integer(0)).req("high", integer(0))
                .req("basis", enumOf(List.of(Eta.RATE, Eta.HISTORY, Eta.BLEND)))
                .req("sampleSize", describe(integer(0), "Past runs behind it; 0 for a rate alone.")).node);
        define("JobError", obj("Why the job failed.").req("code", nullable(string())).req("message", string()).node);
        define("Job", obj("A job (API §1). A result over 16 KiB is left out: result is null and resultOmitted true;"
                + " read it at /jobs/{id}/result.")
                .req("id", string().put("pattern", JOB_ID)).req("type", string()).req("name", nullable(string()))
                .req("project", string()).req("owner", string()).req("parentId", nullable(string()))
                .req("status", ref("JobStatus")).req("stages", array(ref("Stage"))).req("progress", ref("Progress"))
                .req("children", nullable(ref("ChildrenSummary"))).req("eta", nullable(ref("Eta")))
                .req("overdue", describe(type("boolean"), "Running past its history's p90."))
                .req("stalled", describe(type("boolean"), "Running and silent longer than --stall-after."))
                .req("result", describe(NODES.objectNode(), "Any JSON value; null until completed with one."))
                .opt("resultOmitted", NODES.objectNode().put("const", true))
                .req("error", nullable(ref("JobError"))).req("attempt", integer(1))
                .req("maxAttempts", integer(1).put("maximum", NewJob.MAX_ATTEMPTS))
                .req("lease", describe(nullable(ref("Lease")), "The claim a worker holds on the running job."))
                .req("nextAttemptAt", describe(nullable(time()), "A delayed retry is not claimed before this."))
                .req("completeWithChildren", type("boolean"))
                .req("createdAt", time()).req("startedAt", nullable(time())).req("finishedAt", nullable(time()))
                .req("updatedAt", time()).req("version", integer(0)).node);
        define("Lease", obj("A worker's claim (API §9); each write sent with its token extends it by the lease.")
                .req("worker", string()).req("expiresAt", time())
                .opt("token", describe(string(), "Only in the answer to the claim: send it as Lease-Token.")).node);
        define("Input", describe(nullable(type("object")), "The job's input as created; null when it has none."));
        define("Claimed", oneOf(describe(ref("Job"), "Without limit: the job, alone."),
                obj("With limit: 1 to limit jobs, oldest first, each under a lease of its own.")
                        .req("jobs", array(ref("Job"))).node));
        define("Completed", oneOf(describe(ref("Job"), "Without claim: the job, alone."),
                obj("With claim: the completed job, and 0 to limit next jobs, oldest first, each under a lease "
                        + "of its own.").req("job", ref("Job")).req("next", array(ref("Job"))).node));
        define("JobPage", obj("A page of jobs, newest first.").req("items", array(ref("Job")))
                .req("nextCursor", nullable(string())).node);
        define("LogLine", obj("A log line of a job.").req("seq", integer(1)).req("time", time())
                .req("level", choice(LogLevel.values(), LogLevel::wire)).req("message", string())
                .req("fields", nullable(object())).node);
        define("LogPage", obj("Log lines in order; pass after=nextAfter for the next page.")
                .req("items", array(ref("LogLine"))).req("nextAfter", nullable(integer(1))).node);
        define("Result", obj("The whole result.").req("result", describe(NODES.objectNode(),
                "Any JSON value; null when the job has none.")).node);
        define("ProgressAccepted", obj("The report was applied.").req("version", integer(1)).node);
        define("LogAccepted", obj("The line was appended.").req("seq", integer(1)).node);
        define("StageStats", obj("A stage's median duration over the kept runs.").req("name", string())
                .req("p50Ms", integer(0)).node);
        define("TypeStats", obj("A job type's history (API §10): counts since it was first seen within the"
                + " retention; durations over its newest successful runs.").req("type", string())
                .req("finished", integer(0)).req("succeeded", integer(0))
                .req("successRate", number().put("minimum", 0).put("maximum", 1)).req("sampleSize", integer(0))
                .req("p50Ms", integer(0)).req("p90Ms", integer(0)).req("stages", array(ref("StageStats"))).node);
        define("TypeStatsList", obj("Every job type of the project with a history, by type.")
                .req("items", array(ref("TypeStats"))).node);
        Obj perStatus = obj("How many jobs have each status.");
        for (JobStatus status : JobStatus.values()) {
            perStatus.req(status.wire(), integer(0));
        }
        define("StatusCounts", obj("Every stored job the filters match, counted by status.")
                .req("counts", perStatus.closed()).req("total", integer(0)).node);
        define("ErrorDetail", obj("What went wrong (API §6).")
                .req("code", choice(ErrorCode.values(), ErrorCode::wire)).req("message", string())
                .opt("field", describe(string(), "The request field, query parameter or header at fault."))
                .opt("status", describe(ref("JobStatus"), "With job_finished and invalid_transition: the job's status."))
                .node);
        define("Error", obj("An error answer.").req("error", ref("ErrorDetail")).node);
        ObjectNode accepted = obj("An entry that was applied.").req("index", integer(0))
                .req("jobId", string()).req("status", NODES.objectNode().put("const", 202))
                .req("version", integer(1)).node;
        ObjectNode refused = obj("An entry that was refused; the others still apply.").req("index", integer(0))
                .req("jobId", describe(nullable(string()), "null when the entry's jobId could not be read"))
                .req("status", integer(400).put("maximum", 599)).req("error", ref("ErrorDetail")).node;
        define("BatchResult", oneOf(accepted, refused));
        define("BatchResults", obj("One result per entry, in order.").req("results", array(ref("BatchResult"))).node);
        define("ApiKey", obj("An API key; its secret is never shown again.").req("id", string())
                .req("name", nullable(string())).req("project", describe(string(), "A project, or * for all."))
                .req("scope", choice(Scope.values(), Scope::wire)).req("createdAt", time())
                .req("expiresAt", nullable(time())).req("revokedAt", nullable(time())).node);
        define("ApiKeyCreated", obj("The new key and its secret, shown this once.").req("key", ref("ApiKey"))
                .req("token", string()).node);
        define("ApiKeyList", obj("Every API key.").req("items", array(ref("ApiKey"))).node);
        define("Revoked", obj("The key was revoked.").req("revoked", NODES.objectNode().put("const", true)).node);
        define("Event", obj("An event: the data of an SSE event and a WebSocket frame (API §3, §4).")
                .req("type", choice(EventType.values(), EventType::wire)).req("jobId", string())
                .req("version", integer(0)).req("time", time())
                .opt("from", describe(nullable(ref("JobStatus")), "status events; null for a create"))
                .opt("to", describe(ref("JobStatus"), "status events"))
                .opt("job", describe(ref("Job"), "every event but log and deleted"))
                .opt("log", describe(ref("LogLine"), "log events")).node);
    }

    private void define(String name, ObjectNode schema) {
        schemas.set(name, schema);
    }

    // ---- building blocks -----------------------------------------------------------------

    /** An object schema under construction. */
    private static final class Obj {
        final ObjectNode node = type("object");
        private final ObjectNode properties = node.putObject("properties");
        private final ArrayNode required = node.putArray("required");

        Obj req(String name, JsonNode schema) {
            required.add(name);
            return opt(name, schema);
        }

        Obj opt(String name, JsonNode schema) {
            properties.set(name, schema);
            return this;
        }

        ObjectNode closed() {
            return node.put("additionalProperties", false);
        }
    }

    private static Obj obj(String description) {
        Obj o = new Obj();
        o.node.put("description", description);
        return o;
    }

    static ObjectNode describe(ObjectNode schema, String description) {
        return schema.put("description", description);
    }

    static ObjectNode string() {
        return type("string");
    }

    static ObjectNode integer(long minimum) {
        return type("integer").put("minimum", minimum);
    }

    private static ObjectNode number() {
        return type("number");
    }

    private static ObjectNode object() {
        return describe(type("object"), "Any JSON object.");
    }

    private static ObjectNode time() {
        return string().put("format", "date-time");
    }

    private static ObjectNode percent(String description) {
        return describe(number().put("minimum", 0).put("maximum", 100), description);
    }
}
