package dev.herald.core.engine;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.port.JobStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Deletes finished jobs once they are older than the retention, each with a {@code deleted} event, and the
 * runs of the estimates' history as old.
 */
final class Retention {
    private static final int PAGE = 500;

    private final JobStore store;
    private final LiveJobs jobs;
    private final JobWrites writes;
    private final Consumer<Job> onDeleted;
    private final Clock clock;
    private final Duration retention;

    /** @param onDeleted told of every job deleted, so its parent's summary lets go of it */
    Retention(JobStore store, LiveJobs jobs, JobWrites writes, Consumer<Job> onDeleted, Clock clock,
              Duration retention) {
        this.store = store;
        this.jobs = jobs;
        this.writes = writes;
        this.onDeleted = onDeleted;
        this.clock = clock;
        this.retention = retention;
    }

    /** Deletes the jobs that finished a retention ago by the clock. Blocks until that is durable; answers how many. */
    int deleteExpired() {
        Instant now = clock.instant();
        Instant cutoff = now.minus(retention);
        int deleted = 0;
        List<Job> expired;
        do {
            expired = store.finishedBefore(cutoff, PAGE);
            CompletableFuture<?>[] done = new CompletableFuture<?>[expired.size()];
            for (int i = 0; i < expired.size(); i++) {
                Job job = expired.get(i);
                LiveJob lj = jobs.retire(job);
                synchronized (lj) {
                    done[i] = writes.delete(lj, JobEvent.deleted(job, now).within(lj.ancestors));
                }
                onDeleted.accept(job);
            }
            CompletableFuture.allOf(done).join();
            deleted += expired.size();
        } while (expired.size() == PAGE);
        store.pruneHistory(cutoff);
        return deleted;
    }
}
