package dev.herald.client.transport;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.herald.client.keys.NewKey;
import dev.herald.core.command.ClaimRequest;
import dev.herald.core.command.LogEntry;
import dev.herald.core.command.NewJob;
import dev.herald.core.command.ProgressReport;
import dev.herald.core.model.JobError;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.RawJson;
import dev.herald.core.model.Stage;
import dev.herald.json.JobJson;
import dev.herald.json.JsonText;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

/**
 * The JSON bodies of the API's writes (API.md §2). A field the caller did not set is left out rather than sent
 * as null or as the server's default, so the server decides defaults in one place. An in-process transport
 * reads them with the server's own body rules, so a call is refused exactly as over HTTP.
 */
public final class RequestBodies {
    private RequestBodies() {
    }

    /** {@code POST /jobs:claim}: the request's projects are the token's, so they are not sent. */
    public static String claim(ClaimRequest request) {
        return JsonText.object(g -> {
            claimFields(g, request);
            g.writeNumberField("waitMs", request.waitMs());
        });
    }

    /** {@code POST /jobs/{id}/complete} that claims the worker's {@code next} jobs (no wait: it has none), if any. */
    public static String complete(RawJson result, ClaimRequest next) {
        if (next == null) {
            return complete(result);
        }
        return JsonText.object(g -> {
            raw(g, "result", result);
            g.writeObjectFieldStart("claim");
            claimFields(g, next);
            g.writeEndObject();
        });
    }

    private static void claimFields(JsonGenerator g, ClaimRequest request) throws IOException {
        g.writeArrayFieldStart("types");
        for (String type : request.types()) {
            g.writeString(type);
        }
        g.writeEndArray();
        g.writeStringField("worker", request.worker());
        g.writeNumberField("leaseMs", request.leaseMs());
        if (request.limit() > 0) {
            g.writeNumberField("limit", request.limit());
        }
    }

    /** {@code POST /jobs/{id}/retry}: {@code {}}, or how long before the job may be claimed again. */
    public static String retry(Duration delay) {
        return delay.isZero() ? "{}" : "{\"delayMs\":" + delay.toMillis() + "}";
    }

    public static String create(NewJob job, RawJson input) {
        return JsonText.object(g -> {
            g.writeStringField("type", job.type());
            text(g, "name", job.name());
            text(g, "project", job.project());
            text(g, "parentId", job.parentId());
            if (!job.stages().isEmpty()) {
                g.writeArrayFieldStart("stages");
                for (Stage s : job.stages()) {
                    g.writeStartObject();
                    g.writeStringField("name", s.name());
                    JobJson.writeNumber(g, "weight", s.weight());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            number(g, "total", job.total());
            text(g, "unit", job.unit());
            raw(g, "metadata", job.metadata());
            if (job.completeWithChildren()) {
                g.writeBooleanField("completeWithChildren", true);
            }
            if (job.status() != JobStatus.PENDING) {
                g.writeStringField("status", job.status().wire());
            }
            if (job.maxAttempts() > 1) {
                g.writeNumberField("maxAttempts", job.maxAttempts());
            }
            raw(g, "input", input);
        });
    }

    public static String progress(ProgressReport r) {
        return JsonText.object(g -> reportFields(g, r));
    }

    public static String batch(List<ProgressEntry> entries) {
        StringWriter out = new StringWriter(96 * entries.size() + 2);
        try (JsonGenerator g = JobJson.mapper().getFactory().createGenerator(out)) {
            g.writeStartArray();
            for (ProgressEntry e : entries) {
                g.writeStartObject();
                g.writeStringField("jobId", e.jobId());
                reportFields(g, e.report());
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    public static String log(LogEntry entry) {
        return JsonText.object(g -> {
            g.writeStringField("level", entry.level().wire());
            g.writeStringField("message", entry.message());
            raw(g, "fields", entry.fields());
        });
    }

    public static String complete(RawJson result) {
        return JsonText.object(g -> raw(g, "result", result));
    }

    public static String fail(JobError error) {
        return JsonText.object(g -> {
            g.writeObjectFieldStart("error");
            text(g, "code", error.code());
            g.writeStringField("message", error.message());
            g.writeEndObject();
        });
    }

    /** {@code POST /keys}. */
    public static String key(NewKey key) {
        return JsonText.object(g -> {
            g.writeStringField("project", key.project());
            g.writeStringField("scope", key.scope().wire());
            text(g, "name", key.name());
            if (key.expiresIn() != null) {
                g.writeNumberField("expiresInSeconds", key.expiresIn().toSeconds());
            }
        });
    }

    private static void reportFields(JsonGenerator g, ProgressReport r) throws IOException {
        text(g, "stage", r.stage());
        if (r.stageIndex() != null) {
            g.writeNumberField("stageIndex", r.stageIndex());
        }
        number(g, "current", r.current());
        number(g, "total", r.total());
        text(g, "unit", r.unit());
        number(g, "percent", r.percent());
        text(g, "message", r.message());
        raw(g, "metadata", r.metadata());
    }

    private static void text(JsonGenerator g, String field, String value) throws IOException {
        if (value != null) {
            g.writeStringField(field, value);
        }
    }

    private static void number(JsonGenerator g, String field, Double value) throws IOException {
        if (value != null) {
            JobJson.writeNumber(g, field, value);
        }
    }

    private static void raw(JsonGenerator g, String field, RawJson value) throws IOException {
        if (value != null) {
            g.writeFieldName(field);
            g.writeRawValue(value.text());
        }
    }
}
