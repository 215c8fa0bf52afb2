package dev.herald.bench;

import dev.herald.core.engine.IdGenerator;
import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.Progress;
import dev.herald.core.model.RawJson;
import dev.herald.core.model.Stage;
import dev.herald.core.port.JobStore;
import dev.herald.core.port.WriteBatch;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Fills a store with finished jobs as the server leaves them: each job stored completed, with the three status
 * events its life retained (created pending, started, completed), each carrying the state at its version, and a
 * few unfinished (running) jobs among them, as a store that was in use has.
 *
 * <p>It writes through the store ({@link JobStore#write}, the very call the server's store writer makes), not
 * through the HTTP API: the rows are the ones a server writes, in whatever format the store has, and a million
 * take a minute or two instead of the better part of an hour of requests on a shared 2-core machine. A restart
 * reads the store, not how its rows came.
 */
final class FinishedJobs {
    private static final int PER_BATCH = 2_000;
    private static final List<Stage> STAGES = List.of(new Stage("download", 1), new Stage("parse", 2),
            new Stage("load", 3));
    private static final String[] TYPES = {"report.render", "dataset.import", "thumbnail.batch", "mail.digest"};

    private FinishedJobs() {
    }

    /** Writes {@code finished} finished and {@code unfinished} running jobs; prints progress every 100 000. */
    static void write(JobStore store, int finished, int unfinished) {
        long start = System.nanoTime();
        // spread over the last six days: within the default retention (7 days), so no sweep deletes them meanwhile
        int total = finished + unfinished;
        Instant first = Instant.now().minus(Duration.ofDays(6));
        long step = Duration.ofDays(6).toMillis() / Math.max(1, total);
        WriteBatch batch = new WriteBatch();
        int inBatch = 0;
        for (int i = 0; i < total; i++) {
            Instant created = first.plusMillis(i * step);
            Job pending = pending(i, created);
            Job running = pending.toBuilder().status(JobStatus.RUNNING).startedAt(created.plusMillis(40))
                    .updatedAt(created.plusMillis(40)).progress(new Progress("download", 0, 0.0, 200.0, "files",
                            0, "starting", null)).version(2).build();
            batch.event(JobEvent.status(pending, null)).event(JobEvent.status(running, JobStatus.PENDING));
            if (i < finished) {
                Instant done = created.plusMillis(800 + (i % 5_000));
                Job completed = running.toBuilder().status(JobStatus.COMPLETED).finishedAt(done).updatedAt(done)
                        .progress(new Progress("load", 2, 200.0, 200.0, "files", 100, "done", null))
                        .result(new RawJson("{\"rows\":" + (i % 10_000) + ",\"file\":\"out-" + i + ".csv\"}"))
                        .version(3).build();
                batch.job(completed).event(JobEvent.status(completed, JobStatus.RUNNING));
            } else {
                batch.job(running);
            }
            if (++inBatch == PER_BATCH) {
                store.write(batch);
                batch = new WriteBatch();
                inBatch = 0;
            }
            if ((i + 1) % 100_000 == 0) {
                System.out.printf("  %,d jobs written (%.0f s)%n", i + 1, (System.nanoTime() - start) / 1e9);
            }
        }
        if (inBatch > 0) {
            store.write(batch);
        }
        System.out.printf("generated %,d finished and %,d running jobs in %.1f s%n", finished, unfinished,
                (System.nanoTime() - start) / 1e9);
    }

    private static Job pending(int i, Instant created) {
        return new Job.Builder().id(IdGenerator.newJobId()).type(TYPES[i % TYPES.length])
                .name("Job " + i).project(i % 10 == 0 ? "billing" : "acme").owner("worker-" + (i % 16))
                .status(JobStatus.PENDING).stages(STAGES).createdAt(created).updatedAt(created).version(1).build();
    }
}
