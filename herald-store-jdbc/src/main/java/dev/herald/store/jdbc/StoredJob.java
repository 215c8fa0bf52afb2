package dev.herald.store.jdbc;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.herald.core.model.ChildrenSummary;
import dev.herald.core.model.Eta;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobError;
import dev.herald.core.model.Stage;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.herald.store.jdbc.StorageJson.readString;
import static dev.herald.store.jdbc.StorageJson.writeNumber;
import static dev.herald.store.jdbc.StorageJson.writeStringField;
import static dev.herald.store.jdbc.StorageJson.writeTimeField;

/**
 * A job as the store keeps it (the {@code state} column). Written in format 2, format 1 without what the row's
 * columns hold (id, type, project, owner, parent, status, creation, update and finish times, version), which
 * {@link JobRow#job} takes from them: {@code {"v":2,"nm":…,"sg":…,"pr":…,…,"ma":…,"cw":true,"sa":startedAt}},
 * its start time in milliseconds after its creation.
 * Format 1, which older rows and events hold, is the whole job:
 * <pre>
 * {"v":1,"id":…,"ty":type,"nm":name,"pj":project,"ow":owner,"pa":parentId,"st":status,
 *  "sg":[[name,weight],…],"pr":{progress, see {@link StoredProgress}},
 *  "ch":[total,pending,queued,running,completed,failed,cancelled,percent],
 *  "et":[remainingMs,basis,low,high,sampleSize] (the last three may be missing: then low and high are
 *  remainingMs and sampleSize 0),"od":true (overdue),"sl":true (stalled),
 *  "rs":result,"er":[code,message],"at":attempt,"ma":maxAttempts,"cw":true,
 *  "ca":createdAt,"sa":startedAt,"fa":finishedAt,"ua":updatedAt,"ve":version,
 *  "ls":[worker,token,expiresAt,leaseMs] (a claimed job's lease),"nx":nextAttemptAt}
 * </pre>
 * Names are the store's own, short, and owe nothing to the API's; a field that is
 * null or at its default (no stages, no progress, attempt 1, …) is left out.
 */
final class StoredJob {
    static final int FORMAT = 2;

    private StoredJob() {
    }

    /** Format 2: what the row's columns do not hold. */
    static String encode(Job job) {
        StringWriter out = new StringWriter(192);
        try (JsonGenerator g = StorageJson.generator(out)) {
            StorageJson.writeStart(g, FORMAT);
            writeStringField(g, "nm", job.name());
            writeStages(g, job);
            writeChanging(g, job);
            writeFixedSettings(g, job);
            writeTimeAfter(g, "sa", job.startedAt(), job.createdAt().toEpochMilli());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Format 1: the whole job. */
    static String encodeWhole(Job job) {
        StringWriter out = new StringWriter(384);
        try (JsonGenerator g = StorageJson.generator(out)) {
            StorageJson.writeStart(g, 1);
            writeFields(g, job);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** A job in format 0 or 1, which hold it whole. */
    static Job decode(String value) {
        if (StorageJson.isPreviousFormat(value)) {
            return PreviousFormat.job(value);
        }
        try (JsonParser p = StorageJson.open(value, 1)) {
            return readFields(p, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The job's fields, into an object the caller has opened. */
    static void writeFields(JsonGenerator g, Job job) throws IOException {
        g.writeStringField("id", job.id());
        writeStringField(g, "ty", job.type());
        writeStringField(g, "nm", job.name());
        g.writeStringField("pj", job.project());
        writeStringField(g, "ow", job.owner());
        writeStringField(g, "pa", job.parentId());
        g.writeStringField("st", job.status().wire());
        writeStages(g, job);
        writeChanging(g, job);
        writeFixedSettings(g, job);
        writeTimeField(g, "ca", job.createdAt());
        writeTimeField(g, "sa", job.startedAt());
        writeTimeField(g, "fa", job.finishedAt());
        writeTimeField(g, "ua", job.updatedAt());
        g.writeNumberField("ve", job.version());
    }

    /**
     * The fields of a job that its status event does not tell and that may change after its creation, in the
     * same form as {@link #writeFields}: what format 2 of {@link StoredEvent} keeps of the event's job.
     */
    static void writeChangingFields(JsonGenerator g, Job job, long timeBase) throws IOException {
        writeChanging(g, job);
        writeTimeAfter(g, "sa", job.startedAt(), timeBase);
        writeTimeAfter(g, "fa", job.finishedAt(), timeBase);
    }

    /** A time as milliseconds after {@code base}, which format 2 writes in place of epoch milliseconds. */
    static void writeTimeAfter(JsonGenerator g, String field, Instant time, long base) throws IOException {
        if (time != null) {
            g.writeNumberField(field, time.toEpochMilli() - base);
        }
    }

    /**
     * The fields fixed when a job is created (id, type, name, project, owner, parent, stages, max attempts,
     * completeWithChildren, creation time), taken from {@code row}, the job's stored state: no command changes them.
     */
    static Job.Builder fixedOf(Job row) {
        return new Job.Builder().id(row.id()).type(row.type()).name(row.name()).project(row.project())
                .owner(row.owner()).parentId(row.parentId()).stages(row.stages()).maxAttempts(row.maxAttempts())
                .completeWithChildren(row.completeWithChildren()).createdAt(row.createdAt());
    }

    private static void writeFixedSettings(JsonGenerator g, Job job) throws IOException {
        if (job.maxAttempts() != 1) {
            g.writeNumberField("ma", job.maxAttempts());
        }
        if (job.completeWithChildren()) {
            g.writeBooleanField("cw", true);
        }
    }

    private static void writeStages(JsonGenerator g, Job job) throws IOException {
        if (!job.stages().isEmpty()) {
            g.writeArrayFieldStart("sg");
            for (Stage s : job.stages()) {
                g.writeStartArray();
                g.writeString(s.name());
                writeNumber(g, s.weight());
                g.writeEndArray();
            }
            g.writeEndArray();
        }
    }

    private static void writeChanging(JsonGenerator g, Job job) throws IOException {
        StoredProgress.writeField(g, "pr", job.progress());
        if (job.children() != null) {
            writeChildren(g, job.children());
        }
        if (job.eta() != null) {
            g.writeArrayFieldStart("et");
            g.writeNumber(job.eta().remainingMs());
            g.writeString(job.eta().basis());
            g.writeNumber(job.eta().low());
            g.writeNumber(job.eta().high());
            g.writeNumber(job.eta().sampleSize());
            g.writeEndArray();
        }
        if (job.overdue()) {
            g.writeBooleanField("od", true);
        }
        if (job.stalled()) {
            g.writeBooleanField("sl", true);
        }
        StorageJson.writeRawField(g, "rs", job.result());
        if (job.error() != null) {
            g.writeArrayFieldStart("er");
            g.writeString(job.error().code());
            g.writeString(job.error().message());
            g.writeEndArray();
        }
        if (job.attempt() != 1) {
            g.writeNumberField("at", job.attempt());
        }
        StoredLease.writeField(g, "ls", job.lease());
        writeTimeField(g, "nx", job.nextAttemptAt());
    }

    private static void writeChildren(JsonGenerator g, ChildrenSummary c) throws IOException {
        g.writeArrayFieldStart("ch");
        for (int count : new int[] {c.total(), c.pending(), c.queued(), c.running(), c.completed(), c.failed(),
                c.cancelled()}) {
            g.writeNumber(count);
        }
        writeNumber(g, c.percent());
        g.writeEndArray();
    }

    /** The fields of an object the parser has opened, up to its end; {@code source} is the text parsed. */
    static Job readFields(JsonParser p, String source) throws IOException {
        return readFields(p, source, new Job.Builder(), 0);
    }

    /**
     * Reads a job's fields onto {@code b}: what the value does not hold keeps the builder's value. Times are
     * milliseconds after {@code timeBase} (format 1: 0, the epoch).
     */
    static Job readFields(JsonParser p, String source, Job.Builder b, long timeBase) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "id" -> b.id(p.getText());
                case "ty" -> b.type(p.getText());
                case "nm" -> b.name(p.getText());
                case "pj" -> b.project(p.getText());
                case "ow" -> b.owner(p.getText());
                case "pa" -> b.parentId(p.getText());
                case "st" -> b.status(StorageJson.readStatus(p));
                case "sg" -> b.stages(readStages(p));
                case "pr" -> b.progress(StoredProgress.read(p, source));
                case "ch" -> b.children(readChildren(p));
                case "et" -> b.eta(readEta(p));
                case "od" -> b.overdue(p.getBooleanValue());
                case "sl" -> b.stalled(p.getBooleanValue());
                case "rs" -> b.result(StorageJson.readRaw(p, source));
                case "er" -> {
                    p.nextToken();
                    String code = readString(p);
                    p.nextToken();
                    b.error(new JobError(code, readString(p)));
                    p.nextToken();
                }
                case "at" -> b.attempt(p.getIntValue());
                case "ma" -> b.maxAttempts(p.getIntValue());
                case "cw" -> b.completeWithChildren(p.getBooleanValue());
                case "ca" -> b.createdAt(Instant.ofEpochMilli(timeBase + p.getLongValue()));
                case "sa" -> b.startedAt(Instant.ofEpochMilli(timeBase + p.getLongValue()));
                case "fa" -> b.finishedAt(Instant.ofEpochMilli(timeBase + p.getLongValue()));
                case "ua" -> b.updatedAt(Instant.ofEpochMilli(timeBase + p.getLongValue()));
                case "ve" -> b.version(p.getLongValue());
                case "ls" -> b.lease(StoredLease.read(p));
                case "nx" -> b.nextAttemptAt(StorageJson.readTime(p));
                default -> throw StorageJson.unknownField("job", field);
            }
        }
        return b.build();
    }

    private static Eta readEta(JsonParser p) throws IOException {
        p.nextToken();
        long remaining = p.getLongValue();
        p.nextToken();
        String basis = readString(p);
        if (p.nextToken() == JsonToken.END_ARRAY) {
            return new Eta(remaining, basis);
        }
        long low = p.getLongValue();
        p.nextToken();
        long high = p.getLongValue();
        p.nextToken();
        int samples = p.getIntValue();
        p.nextToken();
        return new Eta(remaining, low, high, basis, samples);
    }

    private static List<Stage> readStages(JsonParser p) throws IOException {
        List<Stage> stages = new ArrayList<>();
        while (p.nextToken() == JsonToken.START_ARRAY) {
            p.nextToken();
            String name = p.getText();
            p.nextToken();
            stages.add(new Stage(name, p.getDoubleValue()));
            p.nextToken();
        }
        return stages;
    }

    private static ChildrenSummary readChildren(JsonParser p) throws IOException {
        int[] counts = new int[7];
        for (int i = 0; i < counts.length; i++) {
            p.nextToken();
            counts[i] = p.getIntValue();
        }
        p.nextToken();
        double percent = p.getDoubleValue();
        p.nextToken();
        return new ChildrenSummary(counts[0], counts[1], counts[2], counts[3], counts[4], counts[5], counts[6],
                percent);
    }
}
