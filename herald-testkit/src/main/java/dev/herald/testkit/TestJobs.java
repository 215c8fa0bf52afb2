package dev.herald.testkit;

import dev.herald.core.model.ChildrenSummary;
import dev.herald.core.model.Eta;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobError;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.Progress;
import dev.herald.core.model.RawJson;
import dev.herald.core.model.Stage;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Jobs as the engine would have made them, for tests. Every time has millisecond
 * precision, the precision the wire and the stores keep.
 */
public final class TestJobs {
    public static final Instant T0 = Instant.parse("2025-03-14T09:26:53.589Z");

    /** Mixed case and punctuation, so a store must order ids exactly as Java compares strings. */
    private static final char[] ID_CHARS =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz-".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final List<Stage> STAGES =
            List.of(new Stage("download", 1), new Stage("clustering", 3), new Stage("report", 1));

    private TestJobs() {
    }

    /** An id as hard to guess as the engine's. */
    public static String newId() {
        char[] id = new char[22];
        for (int i = 0; i < id.length; i++) {
            id[i] = ID_CHARS[RANDOM.nextInt(ID_CHARS.length)];
        }
        return new String(id);
    }

    /** A job just created in the project at {@link #T0}, version 1. */
    public static Job.Builder pending(String project) {
        return new Job.Builder()
                .id(newId())
                .type("dataset.import")
                .name("Import customers.csv")
                .project(project)
                .owner("user-42")
                .status(JobStatus.PENDING)
                .stages(STAGES)
                .createdAt(T0)
                .updatedAt(T0)
                .version(1);
    }

    /** A job a worker is on: stage "clustering", 40 of 100, with an ETA. */
    public static Job.Builder running(String project) {
        Instant started = T0.plusSeconds(2);
        return pending(project)
                .status(JobStatus.RUNNING)
                .progress(new Progress("clustering", 1, 40.0, 100.0, "files", 44, "clustering batch 4", null))
                .eta(new Eta(73_250, 61_000, 90_500, Eta.RATE, 0))
                .startedAt(started)
                .updatedAt(started.plusMillis(1_250))
                .version(7);
    }

    /** A job that completed at {@code finishedAt}, with a result. */
    public static Job.Builder completed(String project, Instant finishedAt) {
        return running(project)
                .status(JobStatus.COMPLETED)
                .progress(new Progress("report", 2, 100.0, 100.0, "files", 100, "done", null))
                .eta(null)
                .result(new RawJson("{\"rows\":1200,\"url\":\"s3://exports/customers.parquet\"}"))
                .finishedAt(finishedAt)
                .updatedAt(finishedAt)
                .version(12);
    }

    /** A job with every field set, the nullable ones included. */
    public static Job everyField(String project) {
        Instant started = T0.plusMillis(1_001);
        return new Job.Builder()
                .id(newId())
                .type("report.render")
                .name("Quarterly report — Zürich 日本 ✓")
                .project(project)
                .owner("user-7")
                .parentId(newId())
                .status(JobStatus.FAILED)
                .stages(List.of(new Stage("fetch", 1), new Stage("render", 2.5)))
                .progress(new Progress("render", 1, 12.5, 40.0, "pages", 62.25, "page 12 of 40",
                        new RawJson("{\"region\":\"eu\",\"tags\":[\"a\",\"b\"],\"ratio\":0.5,\"ok\":true}")))
                .children(new ChildrenSummary(108, 60, 6, 1, 39, 2, 0, 37.96))
                .eta(new Eta(5_400, 4_100, 9_900, Eta.BLEND, 37)).overdue(true).stalled(true)
                .result(new RawJson("[1,\"two\",{\"three\":3}]"))
                .error(new JobError("render_timeout", "page 13 took longer than 30 s"))
                .attempt(2)
                .maxAttempts(3)
                .completeWithChildren(true)
                .createdAt(T0)
                .startedAt(started)
                .finishedAt(started.plusMillis(93_417))
                .updatedAt(started.plusMillis(93_417))
                .version(41)
                .build();
    }

    /** The job's next version, a second later: what an update would store. */
    public static Job.Builder next(Job job) {
        return job.toBuilder()
                .updatedAt(job.updatedAt().plus(Duration.ofSeconds(1)))
                .version(job.version() + 1);
    }
}
