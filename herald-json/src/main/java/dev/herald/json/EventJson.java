package dev.herald.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.event.EventType;
import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLevel;
import dev.herald.core.model.LogLine;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The JSON form of an event: the SSE {@code data} and the WebSocket frame (API §3, §4).
 * {@code {"type","jobId","version","time","job"}}, plus {@code from}/{@code to} for
 * status and {@code log} instead of {@code job} for log events.
 */
public final class EventJson {
    private EventJson() {
    }

    public static String toJson(JobEvent e) {
        return toJson(e, JobJson.EVENT_RESULT_LIMIT);
    }

    /** {@code resultLimit}: the store keeps the whole result, streams cap it at 16 KiB. */
    public static String toJson(JobEvent e, int resultLimit) {
        StringWriter out = new StringWriter(640);
        try (JsonGenerator g = JobJson.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("type", e.type().wire());
            g.writeStringField("jobId", e.jobId());
            g.writeNumberField("version", e.version());
            g.writeStringField("time", Times.format(e.time()));
            if (e.type() == EventType.STATUS) {
                g.writeStringField("from", e.from() == null ? null : e.from().wire());
                g.writeStringField("to", e.to().wire());
            }
            if (e.job() != null) {
                g.writeFieldName("job");
                JobJson.write(g, e.job(), resultLimit);
            }
            if (e.log() != null) {
                g.writeFieldName("log");
                writeLog(g, e.log());
            }
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toString();
    }

    public static void writeLog(JsonGenerator g, LogLine l) throws IOException {
        g.writeStartObject();
        g.writeNumberField("seq", l.seq());
        g.writeStringField("time", Times.format(l.time()));
        g.writeStringField("level", l.level().wire());
        g.writeStringField("message", l.message());
        JobJson.writeRaw(g, "fields", l.fields());
        g.writeEndObject();
    }

    public static String logToJson(LogLine l) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JobJson.FACTORY.createGenerator(out)) {
            writeLog(g, l);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toString();
    }

    public static LogLine logFromNode(JsonNode n) {
        return new LogLine(n.path("seq").asLong(), Times.parse(JobJson.text(n, "time")),
                LogLevel.fromWire(JobJson.text(n, "level")).orElse(LogLevel.INFO), JobJson.text(n, "message"),
                JobJson.raw(n.get("fields")));
    }

    /** Reads what {@link #toJson(JobEvent, int)} wrote; the project and position come from the caller. */
    public static JobEvent fromJson(String text, String project, long position) {
        try {
            return fromNode(JobJson.MAPPER.readTree(text), project, position);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** {@link #fromJson} of JSON already read. */
    public static JobEvent fromNode(JsonNode n, String project, long position) {
        EventType type = EventType.fromWire(n.get("type").asText()).orElseThrow();
        Job job = n.hasNonNull("job") ? JobJson.fromNode(n.get("job")) : null;
        LogLine log = n.hasNonNull("log") ? logFromNode(n.get("log")) : null;
        JobStatus from = n.hasNonNull("from") ? JobStatus.fromWire(n.get("from").asText()).orElse(null) : null;
        JobStatus to = n.hasNonNull("to") ? JobStatus.fromWire(n.get("to").asText()).orElse(null) : null;
        return new JobEvent(type, n.get("jobId").asText(), project, n.path("version").asLong(),
                Times.parse(JobJson.text(n, "time")), job, from, to, log, position, null);
    }
}
