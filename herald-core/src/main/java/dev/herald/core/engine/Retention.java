package dev.herald.core.engine;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.core.port.JobStore;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Deletes finished jobs once they are older than the retention, each with a {@code deleted} event, and the
 * runs of the estimates' history as old. In a cluster each deletion is made by the owner of the job's tree
 * (docs/cluster.md §6), fenced like any of its writes.
 */
final class Retention {
    private static final System.Logger LOG = System.getLogger(Retention.class.getName());
    private static final int PAGE = 500;

    private final JobStore store;
    private final LiveJobs jobs;
    private final JobWrites writes;
    private final JobCommands commands;
    private final Consumer<Job> onDeleted;
    private final Clock clock;
    private final Duration retention;

    /** @param onDeleted told of every job deleted, so its parent's summary lets go of it */
    Retention(JobStore store, LiveJobs jobs, JobWrites writes, JobCommands commands, Consumer<Job> onDeleted,
              Clock clock, Duration retention) {
        this.store = store;
        this.jobs = jobs;
        this.writes = writes;
        this.commands = commands;
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
                done[i] = jobs.delete(job, lj -> writes.delete(lj, JobEvent.deleted(job, now).within(lj.ancestors)));
                onDeleted.accept(job);
            }
            CompletableFuture.allOf(done).join();
            deleted += expired.size();
        } while (expired.size() == PAGE);
        store.pruneHistory(cutoff);
        return deleted;
    }

    /**
     * On a node of a cluster, the retention duty's holder: each job that finished a retention ago is deleted by
     * {@code owner}, which runs {@link #expire} on the owner of its tree (here when nobody else owns it). A job
     * whose owner refuses stays for the next sweep. Blocks; answers how many were deleted.
     */
    int deleteExpiredByOwners(Function<String, CompletableFuture<Boolean>> owner) {
        Instant cutoff = clock.instant().minus(retention);
        int deleted = 0;
        List<String> expired = List.of();
        List<String> before;
        do {
            before = expired;
            expired = store.finishedBefore(cutoff, PAGE).stream().map(Job::id).toList();
            for (String id : expired) {
                // one at a time: a tree's jobs deleted at once raced its release against their own loads
                // counted only when deleted: an owner whose clock says not yet due leaves it
                if (owner.apply(id).handle((deletedThere, failure) -> failure == null ? deletedThere : gone(failure))
                        .join()) {
                    deleted++;
                }
            }
            // a page the owners left as it was (refused, or not yet due by their clocks) waits for the next sweep
        } while (expired.size() == PAGE && !expired.equals(before));
        store.pruneHistory(cutoff);
        return deleted;
    }

    /**
     * The job's deletion, made here as its tree's owner if it finished a retention ago by this node's clock; answers
     * whether it was.
     */
    CompletableFuture<Boolean> expire(String id) {
        return commands.withLive(id, lj -> {
            Job job = lj.job();
            Instant now = clock.instant();
            if (job.finishedAt() == null || !job.finishedAt().isBefore(now.minus(retention))) {
                return CompletableFuture.completedFuture(false);
            }
            // the aggregator is not told: retention lists a job only when its parent is gone or expired too, so
            // deleted by this sweep, and a parent counted again now would be read back while its deletion commits
            return jobs.delete(job, retired -> writes.delete(retired, JobEvent.deleted(job, now)
                    .within(retired.ancestors))).thenApply(v -> true);
        });
    }

    private static boolean gone(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof HeraldException e && e.code() == ErrorCode.NOT_FOUND) {
            return true;
        }
        LOG.log(Level.DEBUG, "a finished job was not deleted; the next sweep tries again", cause);
        return false;
    }
}
