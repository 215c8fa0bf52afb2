package dev.herald.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.herald.core.model.ChildrenSummary;
import dev.herald.core.model.Eta;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobError;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.Progress;
import dev.herald.core.model.RawJson;
import dev.herald.core.model.Stage;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON form of a job (API §1). The same form is stored and sent; only the
 * result may be left out of what is sent when it is larger than the caller allows.
 */
public final class JobJson {
    /** Events never carry more than this of a result (API §1). */
    public static final int EVENT_RESULT_LIMIT = 16 * 1024;

    /** Reads numbers exactly as written, so stored metadata and results come back byte for byte ({@code 1.50} stays). */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();
    static final JsonFactory FACTORY = MAPPER.getFactory();

    private JobJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String toJson(Job job) {
        return toJson(job, Integer.MAX_VALUE);
    }

    /** The job, with its result left out (and {@code resultOmitted: true}) when larger than {@code resultLimit} bytes. */
    public static String toJson(Job job, int resultLimit) {
        StringWriter out = new StringWriter(512);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, job, resultLimit);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    public static void write(JsonGenerator g, Job job, int resultLimit) throws IOException {
        write(g, job, resultLimit, false);
    }

    /** The job as its claimer gets it (API §9): with its lease's token, which no other answer or event shows. */
    public static String toClaimedJson(Job job) {
        StringWriter out = new StringWriter(512);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, job, Integer.MAX_VALUE, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void write(JsonGenerator g, Job job, int resultLimit, boolean leaseToken) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", job.id());
        g.writeStringField("type", job.type());
        g.writeStringField("name", job.name());
        g.writeStringField("project", job.project());
        g.writeStringField("owner", job.owner());
        g.writeStringField("parentId", job.parentId());
        g.writeStringField("status", job.status().wire());
        g.writeArrayFieldStart("stages");
        for (Stage s : job.stages()) {
            g.writeStartObject();
            g.writeStringField("name", s.name());
            writeNumber(g, "weight", s.weight());
            g.writeEndObject();
        }
        g.writeEndArray();
        writeProgress(g, job.progress());
        writeChildren(g, job.children());
        if (job.eta() == null) {
            g.writeNullField("eta");
        } else {
            g.writeObjectFieldStart("eta");
            g.writeNumberField("remainingMs", job.eta().remainingMs());
            g.writeNumberField("low", job.eta().low());
            g.writeNumberField("high", job.eta().high());
            g.writeStringField("basis", job.eta().basis());
            g.writeNumberField("sampleSize", job.eta().sampleSize());
            g.writeEndObject();
        }
        g.writeBooleanField("overdue", job.overdue());
        g.writeBooleanField("stalled", job.stalled());
        boolean omit = job.result() != null && job.result().utf8Length() > resultLimit;
        writeRaw(g, "result", omit ? null : job.result());
        if (omit) {
            g.writeBooleanField("resultOmitted", true);
        }
        if (job.error() == null) {
            g.writeNullField("error");
        } else {
            g.writeObjectFieldStart("error");
            g.writeStringField("code", job.error().code());
            g.writeStringField("message", job.error().message());
            g.writeEndObject();
        }
        g.writeNumberField("attempt", job.attempt());
        g.writeNumberField("maxAttempts", job.maxAttempts());
        LeaseJson.write(g, job, leaseToken);
        g.writeBooleanField("completeWithChildren", job.completeWithChildren());
        g.writeStringField("createdAt", Times.format(job.createdAt()));
        g.writeStringField("startedAt", Times.format(job.startedAt()));
        g.writeStringField("finishedAt", Times.format(job.finishedAt()));
        g.writeStringField("updatedAt", Times.format(job.updatedAt()));
        g.writeNumberField("version", job.version());
        g.writeEndObject();
    }

    private static void writeProgress(JsonGenerator g, Progress p) throws IOException {
        g.writeObjectFieldStart("progress");
        g.writeStringField("stage", p.stage());
        if (p.stageIndex() == null) {
            g.writeNullField("stageIndex");
        } else {
            g.writeNumberField("stageIndex", p.stageIndex());
        }
        writeNumber(g, "current", p.current());
        writeNumber(g, "total", p.total());
        g.writeStringField("unit", p.unit());
        g.writeNumberField("percent", round2(p.percent()));
        g.writeStringField("message", p.message());
        writeRaw(g, "metadata", p.metadata());
        g.writeEndObject();
    }

    private static void writeChildren(JsonGenerator g, ChildrenSummary c) throws IOException {
        if (c == null) {
            g.writeNullField("children");
            return;
        }
        g.writeObjectFieldStart("children");
        g.writeNumberField("total", c.total());
        g.writeNumberField("pending", c.pending());
        g.writeNumberField("queued", c.queued());
        g.writeNumberField("running", c.running());
        g.writeNumberField("completed", c.completed());
        g.writeNumberField("failed", c.failed());
        g.writeNumberField("cancelled", c.cancelled());
        g.writeNumberField("percent", round2(c.percent()));
        g.writeStringField("text", c.text());
        g.writeEndObject();
    }

    static void writeRaw(JsonGenerator g, String field, RawJson raw) throws IOException {
        g.writeFieldName(field);
        if (raw == null) {
            g.writeNull();
        } else {
            g.writeRawValue(raw.text());
        }
    }

    /** Whole numbers as integers ({@code 400}, not {@code 400.0}); null as null. */
    public static void writeNumber(JsonGenerator g, String field, Double d) throws IOException {
        if (d == null) {
            g.writeNullField(field);
        } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            g.writeNumberField(field, d.longValue());
        } else {
            g.writeNumberField(field, d);
        }
    }

    private static double round2(double d) {
        return Math.round(d * 100.0) / 100.0;
    }

    public static Job fromJson(String text) {
        try {
            return fromNode(MAPPER.readTree(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An estimate; one without a range (from a server before API §10) has its time as both bounds. */
    private static Eta eta(JsonNode eta) {
        long remaining = eta.get("remainingMs").asLong();
        return new Eta(remaining, eta.path("low").asLong(remaining), eta.path("high").asLong(remaining),
                eta.get("basis").asText(), eta.path("sampleSize").asInt(0));
    }

    public static Job fromNode(JsonNode n) {
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
                .eta(eta.isObject() ? eta(eta) : null)
                .overdue(n.path("overdue").asBoolean(false))
                .stalled(n.path("stalled").asBoolean(false))
                .result(raw(n.get("result")))
                .error(error.isObject() ? new JobError(text(error, "code"), text(error, "message")) : null)
                .attempt(n.path("attempt").asInt(1))
                .maxAttempts(n.path("maxAttempts").asInt(1))
                .lease(LeaseJson.read(n.path("lease")))
                .nextAttemptAt(Times.parse(text(n, "nextAttemptAt")))
                .completeWithChildren(n.path("completeWithChildren").asBoolean(false))
                .createdAt(Times.parse(text(n, "createdAt")))
                .startedAt(Times.parse(text(n, "startedAt")))
                .finishedAt(Times.parse(text(n, "finishedAt")))
                .updatedAt(Times.parse(text(n, "updatedAt")))
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

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    static Double number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || !v.isNumber() ? null : v.asDouble();
    }

    static RawJson raw(JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode() ? null : new RawJson(v.toString());
    }
}
