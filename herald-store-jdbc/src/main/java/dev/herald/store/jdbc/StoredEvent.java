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
 * A retained event as the store keeps it (the {@code data} column). Written in format 2, which keeps only what
 * the row's other columns and the job's row do not tell (docs/architecture.md, "Storage"):
 * <pre>
 * {"v":2,"fr":from,"to":to,"jb":{the job's changing fields: "pr","ch","et","od","sl","rs","er","at","sa","fa",
 *  as in {@link StoredJob}, times in milliseconds after the event's; "st", "ua", "ve" only where they differ
 *  from to, the time, the version},
 *  "lg":{"tm":time (only if not the event's),"lv":level,"ms":message,"fd":fields}}
 * </pre>
 * The type, job id, project, version, time, log seq and position are the row's columns. The job's fixed fields
 * (id, type, name, project, owner, parent, stages, max attempts, completeWithChildren, creation time) come from
 * the job's row, which holds them as they were at creation, since no command changes them; a job's events are
 * deleted with its row. An event format 2 cannot express exactly (a job without an update time or an event
 * without a time, a log line without a time) is written in format 1, which is read as before:
 * <pre>
 * {"v":1,"ty":type,"id":jobId,"ve":version,"tm":time,"fr":from,"to":to,"jb":{the job's fields, see {@link StoredJob}},
 *  "lg":{"sq":seq,"tm":time,"lv":level,"ms":message,"fd":fields}}
 * </pre>
 * Null fields are left out; ancestors are not stored (replay knows its jobs).
 */
final class StoredEvent {
    static final int FORMAT = 2;

    private StoredEvent() {
    }

    static String encode(JobEvent e) {
        if (!compactable(e)) {
            return encodeWhole(e);
        }
        StringWriter out = new StringWriter(e.job() == null ? 96 : 192);
        try (JsonGenerator g = StorageJson.generator(out)) {
            StorageJson.writeStart(g, FORMAT);
            writeTransition(g, e);
            Job job = e.job();
            if (job != null) {
                g.writeObjectFieldStart("jb");
                if (job.status() != e.to()) {
                    g.writeStringField("st", job.status().wire());
                }
                long base = e.time().toEpochMilli();
                StoredJob.writeChangingFields(g, job, base);
                if (!job.updatedAt().equals(e.time())) {
                    StoredJob.writeTimeAfter(g, "ua", job.updatedAt(), base);
                }
                if (job.version() != e.version()) {
                    g.writeNumberField("ve", job.version());
                }
                g.writeEndObject();
            }
            if (e.log() != null) {
                g.writeObjectFieldStart("lg");
                if (!e.log().time().equals(e.time())) {
                    writeTimeField(g, "tm", e.log().time());
                }
                writeLine(g, e.log());
            }
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toString();
    }

    /** Whether format 2 holds the event exactly: what it leaves to the columns is there to be taken. */
    private static boolean compactable(JobEvent e) {
        Job job = e.job();
        return (job == null || job.id().equals(e.jobId()) && job.updatedAt() != null && e.time() != null)
                && (e.log() == null || e.log().time() != null);
    }

    /** Format 1: the whole event, the whole job included. */
    static String encodeWhole(JobEvent e) {
        StringWriter out = new StringWriter(e.job() == null ? 128 : 448);
        try (JsonGenerator g = StorageJson.generator(out)) {
            StorageJson.writeStart(g, 1);
            g.writeStringField("ty", e.type().wire());
            g.writeStringField("id", e.jobId());
            g.writeNumberField("ve", e.version());
            writeTimeField(g, "tm", e.time());
            writeTransition(g, e);
            if (e.job() != null) {
                g.writeObjectFieldStart("jb");
                StoredJob.writeFields(g, e.job());
                g.writeEndObject();
            }
            if (e.log() != null) {
                g.writeObjectFieldStart("lg");
                g.writeNumberField("sq", e.log().seq());
                writeTimeField(g, "tm", e.log().time());
                writeLine(g, e.log());
            }
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toString();
    }

    private static void writeTransition(JsonGenerator g, JobEvent e) throws IOException {
        writeStringField(g, "fr", e.from() == null ? null : e.from().wire());
        writeStringField(g, "to", e.to() == null ? null : e.to().wire());
    }

    /** The rest of a log line, and the end of its object. */
    private static void writeLine(JsonGenerator g, LogLine l) throws IOException {
        g.writeStringField("lv", l.level().wire());
        writeStringField(g, "ms", l.message());
        StorageJson.writeRawField(g, "fd", l.fields());
        g.writeEndObject();
    }

    /** The event a row holds, in any format. */
    static JobEvent decode(EventRow row) {
        return switch (StorageJson.formatOf(row.data())) {
            case 0 -> PreviousFormat.event(row.data(), row.project(), row.position());
            case 1 -> decode(row.data(), row.project(), row.position());
            default -> decodeCompact(row);
        };
    }

    private static JobEvent decodeCompact(EventRow row) {
        String value = row.data();
        Instant time = row.time() == null ? null : Instant.ofEpochMilli(row.time());
        try (JsonParser p = StorageJson.open(value, FORMAT)) {
            JobStatus from = null;
            JobStatus to = null;
            Job job = null;
            LogLine log = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "fr" -> from = StorageJson.readStatus(p);
                    case "to" -> to = StorageJson.readStatus(p);
                    case "jb" -> job = StoredJob.readFields(p, value,
                            fixedOf(row).status(to).version(row.version()).updatedAt(time), row.time());
                    case "lg" -> log = readLog(p, value, row.logSeq() == null ? 0 : row.logSeq(), time);
                    default -> throw StorageJson.unknownField("event", field);
                }
            }
            EventType type = EventType.fromWire(row.type())
                    .orElseThrow(() -> new StoreException("a stored event has an unknown type " + row.type(), null));
            return new JobEvent(type, row.jobId(), row.project(), row.version(), time, job, from, to, log,
                    row.position(), null);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static Job.Builder fixedOf(EventRow row) {
        return StoredJob.fixedOf(row.job().job());
    }

    /** Reads format 1; the project and position come from the row. */
    static JobEvent decode(String value, String project, long position) {
        if (StorageJson.isPreviousFormat(value)) {
            return PreviousFormat.event(value, project, position);
        }
        try (JsonParser p = StorageJson.open(value, 1)) {
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
                    case "lg" -> log = readLog(p, value, 0, null);
                    default -> throw StorageJson.unknownField("event", field);
                }
            }
            return new JobEvent(type, jobId, project, version, time, job, from, to, log, position, null);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** A log line; format 2 leaves its seq and, when it is the event's, its time to the row. */
    private static LogLine readLog(JsonParser p, String source, long seq, Instant time) throws IOException {
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
