package dev.herald.store.jdbc;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.herald.core.event.EventType;
import dev.herald.core.event.JobEvent;
import dev.herald.core.model.ChildrenSummary;
import dev.herald.core.model.Eta;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobError;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLevel;
import dev.herald.core.model.LogLine;
import dev.herald.core.model.Progress;
import dev.herald.core.model.RawJson;
import dev.herald.core.model.Stage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads values of format 0: what the store wrote before it had a format of its
 * own, the API's JSON of jobs and events as herald-json wrote it then. A frozen
 * copy of that reader, so that the API's JSON can change and old rows still read;
 * they are rewritten in the current format when their job next changes.
 */
final class PreviousFormat {
    /** Numbers exactly as written, so metadata and results come back as they did ({@code 1.50} stays). */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private PreviousFormat() {
    }

    static Job job(String value) {
        return job(tree(value));
    }

    /** An event; the project and position come from the row. */
    static JobEvent event(String value, String project, long position) {
        JsonNode n = tree(value);
        EventType type = EventType.fromWire(n.get("type").asText()).orElseThrow();
        Job job = n.hasNonNull("job") ? job(n.get("job")) : null;
        LogLine log = n.hasNonNull("log") ? log(n.get("log")) : null;
        JobStatus from = n.hasNonNull("from") ? JobStatus.fromWire(n.get("from").asText()).orElse(null) : null;
        JobStatus to = n.hasNonNull("to") ? JobStatus.fromWire(n.get("to").asText()).orElse(null) : null;
        return new JobEvent(type, n.get("jobId").asText(), project, n.path("version").asLong(),
                time(n, "time"), job, from, to, log, position, null);
    }

    private static JsonNode tree(String value) {
        try {
            return MAPPER.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Job job(JsonNode n) {
        List<Stage> stages = new ArrayList<>();
        for (JsonNode s : n.path("stages")) {
            stages.add(new Stage(s.get("name").asText(), s.get("weight").asDouble()));
        }
        JsonNode eta = n.path("eta");
        JsonNode error = n.path("error");
        return new Job.Builder()
                .id(text(n, "id"))
                .type(text(n, "type"))
                .name(text(n, "name"))
                .project(text(n, "project"))
                .owner(text(n, "owner"))
                .parentId(text(n, "parentId"))
                .status(JobStatus.fromWire(text(n, "status")).orElseThrow())
                .stages(stages)
                .progress(progress(n.path("progress")))
                .children(children(n.path("children")))
                .eta(eta.isObject() ? new Eta(eta.get("remainingMs").asLong(), eta.get("basis").asText()) : null)
                .result(raw(n.get("result")))
                .error(error.isObject() ? new JobError(text(error, "code"), text(error, "message")) : null)
                .attempt(n.path("attempt").asInt(1))
                .maxAttempts(n.path("maxAttempts").asInt(1))
                .completeWithChildren(n.path("completeWithChildren").asBoolean(false))
                .createdAt(time(n, "createdAt"))
                .startedAt(time(n, "startedAt"))
                .finishedAt(time(n, "finishedAt"))
                .updatedAt(time(n, "updatedAt"))
                .version(n.path("version").asLong())
                .build();
    }

    private static Progress progress(JsonNode p) {
        if (!p.isObject()) {
            return Progress.NONE;
        }
        return new Progress(text(p, "stage"),
                p.path("stageIndex").isNumber() ? p.get("stageIndex").asInt() : null,
                number(p, "current"), number(p, "total"), text(p, "unit"),
                p.path("percent").asDouble(0), text(p, "message"), raw(p.get("metadata")));
    }

    private static ChildrenSummary children(JsonNode c) {
        if (!c.isObject()) {
            return null;
        }
        return new ChildrenSummary(c.path("total").asInt(), c.path("pending").asInt(), c.path("queued").asInt(),
                c.path("running").asInt(), c.path("completed").asInt(), c.path("failed").asInt(),
                c.path("cancelled").asInt(), c.path("percent").asDouble());
    }

    private static LogLine log(JsonNode n) {
        return new LogLine(n.path("seq").asLong(), time(n, "time"),
                LogLevel.fromWire(text(n, "level")).orElse(LogLevel.INFO), text(n, "message"), raw(n.get("fields")));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Double number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || !v.isNumber() ? null : v.asDouble();
    }

    /** Format 0 wrote times as ISO-8601 UTC with milliseconds. */
    private static Instant time(JsonNode n, String field) {
        String text = text(n, field);
        return text == null ? null : Instant.parse(text);
    }

    private static RawJson raw(JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode() ? null : new RawJson(v.toString());
    }
}
