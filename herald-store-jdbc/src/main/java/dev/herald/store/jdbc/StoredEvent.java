package dev.herald.store.jdbc;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.herald.core.event.EventType;
import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLevel;
import dev.herald.core.model.LogLine;
import dev.herald.core.model.RawJson;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;

import static dev.herald.store.jdbc.StorageJson.readTime;
import static dev.herald.store.jdbc.StorageJson.writeStringField;
import static dev.herald.store.jdbc.StorageJson.writeTimeField;

/**
 * A retained event as the store keeps it (the {@code data} column), in format 1:
 * <pre>
 * {"v":1,"ty":type,"id":jobId,"ve":version,"tm":time,"fr":from,"to":to,"jb":{the job's fields, see {@link StoredJob}},
 *  "lg":{"sq":seq,"tm":time,"lv":level,"ms":message,"fd":fields}}
 * </pre>
 * Null fields are left out. The project and the position are columns of their own
 * and come back from them; ancestors are not stored (replay knows its jobs).
 */
final class StoredEvent {
    private StoredEvent() {
    }

    static String encode(JobEvent e) {
        StringWriter out = new StringWriter(e.job() == null ? 128 : 448);
        try (JsonGenerator g = StorageJson.generator(out)) {
            StorageJson.writeStart(g);
            g.writeStringField("ty", e.type().wire());
            g.writeStringField("id", e.jobId());
            g.writeNumberField("ve", e.version());
            writeTimeField(g, "tm", e.time());
            writeStringField(g, "fr", e.from() == null ? null : e.from().wire());
            writeStringField(g, "to", e.to() == null ? null : e.to().wire());
            if (e.job() != null) {
                g.writeObjectFieldStart("jb");
                StoredJob.writeFields(g, e.job());
                g.writeEndObject();
            }
            if (e.log() != null) {
                writeLog(g, e.log());
            }
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toString();
    }

    private static void writeLog(JsonGenerator g, LogLine l) throws IOException {
        g.writeObjectFieldStart("lg");
        g.writeNumberField("sq", l.seq());
        writeTimeField(g, "tm", l.time());
        g.writeStringField("lv", l.level().wire());
        writeStringField(g, "ms", l.message());
        StorageJson.writeRawField(g, "fd", l.fields());
        g.writeEndObject();
    }

    /** Reads what {@link #encode} wrote, or format 0; the project and position come from the row. */
    static JobEvent decode(String value, String project, long position) {
        if (StorageJson.isPreviousFormat(value)) {
            return PreviousFormat.event(value, project, position);
        }
        try (JsonParser p = StorageJson.open(value)) {
            EventType type = null;
            String jobId = null;
            long version = 0;
            Instant time = null;
            JobStatus from = null;
            JobStatus to = null;
            Job job = null;
            LogLine log = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "ty" -> type = EventType.fromWire(p.getText())
                            .orElseThrow(() -> StorageJson.unknownValue("event type", p));
                    case "id" -> jobId = p.getText();
                    case "ve" -> version = p.getLongValue();
                    case "tm" -> time = readTime(p);
                    case "fr" -> from = StorageJson.readStatus(p);
                    case "to" -> to = StorageJson.readStatus(p);
                    case "jb" -> job = StoredJob.readFields(p, value);
                    case "lg" -> log = readLog(p, value);
                    default -> throw StorageJson.unknownField("event", field);
                }
            }
            return new JobEvent(type, jobId, project, version, time, job, from, to, log, position, null);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static LogLine readLog(JsonParser p, String source) throws IOException {
        long seq = 0;
        Instant time = null;
        LogLevel level = null;
        String message = null;
        RawJson fields = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "sq" -> seq = p.getLongValue();
                case "tm" -> time = readTime(p);
                case "lv" -> level = LogLevel.fromWire(p.getText())
                        .orElseThrow(() -> StorageJson.unknownValue("log level", p));
                case "ms" -> message = p.getText();
                case "fd" -> fields = StorageJson.readRaw(p, source);
                default -> throw StorageJson.unknownField("log line", field);
            }
        }
        return new LogLine(seq, time, level, message, fields);
    }
}
