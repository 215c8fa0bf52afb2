package dev.herald.core.engine;

import dev.herald.core.cluster.OwnedTrees;
import dev.herald.core.command.LogEntry;
import dev.herald.core.command.ProgressReport;
import dev.herald.core.event.JobEvent;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobError;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLine;
import dev.herald.core.model.RawJson;
import dev.herald.core.rules.Transitions;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Commands on a job that exists. Each runs under the job's monitor (the job loaded
 * on a read thread first when it is not in memory), applies the rules and hands the
 * next version to the writes: a transition or a log line is answered once durable,
 * progress at once.
 */
final class JobCommands {
    private final JobCache cache;
    private final JobWrites writes;
    private final ChildrenAggregator children;
    private final Cascade cascade;
    private final TakeoverGap gap;
    private final Estimates estimates;
    private final Clock clock;
    private final Executor reads;
    /** The {@code Lease-Token} these commands write with (API §9), or null for writes that hold no lease. */
    private final String leaseToken;

    JobCommands(JobCache cache, JobWrites writes, ChildrenAggregator children, TakeoverGap gap, Estimates estimates,
                Clock clock, Executor reads) {
        this(cache, writes, children, new Cascade(cache, writes), gap, estimates, clock, reads, null);
    }

    private JobCommands(JobCache cache, JobWrites writes, ChildrenAggregator children, Cascade cascade,
                        TakeoverGap gap, Estimates estimates, Clock clock, Executor reads, String leaseToken) {
        this.cache = cache;
        this.estimates = estimates;
        this.writes = writes;
        this.children = children;
        this.cascade = cascade;
        this.gap = gap;
        this.clock = clock;
        this.reads = reads;
        this.leaseToken = leaseToken;
    }

    /** The same commands written by the worker holding this lease token: each checks and extends its lease. */
    JobCommands holding(String token) {
        return token == null ? this
                : new JobCommands(cache, writes, children, cascade, gap, estimates, clock, reads, token);
    }

    CompletableFuture<Long> progress(String id, ProgressReport report) {
        return withLive(id, lj -> {
            Job old = lj.job();
            Instant now = clock.instant();
            Job next = Transitions.progress(old, report, now);
            if (old.status() == JobStatus.RUNNING) {
                lj.timeline.observe(now.toEpochMilli(), next);
            } else {
                lj.timeline.started(now.toEpochMilli(), next);
            }
            next = estimates.estimated(lj, next, now.toEpochMilli());
            lj.set(next);
            if (next.status() != old.status()) {
                return durable(lj, next, old.status()).thenApply(Job::version);
            }
            writes.markDirty(lj);
            writes.publish(lj, JobEvent.progress(next).within(lj.ancestors));
            children.changed(next);
            return CompletableFuture.completedFuture(next.version());
        });
    }

    CompletableFuture<Job> start(String id) {
        return transition(id, j -> Transitions.start(j, clock.instant()));
    }

    CompletableFuture<Job> complete(String id, RawJson result) {
        return transition(id, j -> Transitions.complete(j, result, clock.instant()));
    }

    CompletableFuture<Job> fail(String id, JobError error) {
        return transition(id, j -> Transitions.fail(j, error, clock.instant()));
    }

    /** Back to the queue, claimable {@code delayMs} from now. */
    CompletableFuture<Job> retry(String id, long delayMs) {
        return transition(id, j -> {
            Instant now = clock.instant();
            return Transitions.retry(j, now, delayMs > 0 ? now.plusMillis(delayMs) : null);
        });
    }

    CompletableFuture<Job> release(String id) {
        return transition(id, j -> Transitions.released(j, clock.instant()));
    }

    CompletableFuture<Job> cancel(String id) {
        return withLive(id, lj -> CompletableFuture.supplyAsync(() -> cascade.cancel(lj, clock.instant()), reads))
                .thenCompose(f -> f)
                .thenApply(cancelled -> {
                    cancelled.forEach(children::changed);
                    return cancelled.get(0);
                });
    }

    CompletableFuture<Void> heartbeat(String id) {
        return withLive(id, lj -> {
            JobStatus status = lj.job().status();
            if (status.isTerminal()) {
                throw HeraldException.finished(status);
            }
            if (leaseToken != null) {
                // the lease's new end is a change of the job: a version, written behind like progress
                Job next = Transitions.next(lj.job(), status, clock.instant()).build();
                lj.set(next);
                writes.markDirty(lj);
                writes.publish(lj, JobEvent.progress(next).within(lj.ancestors));
            }
            return CompletableFuture.completedFuture(null);
        });
    }

    CompletableFuture<LogLine> log(String id, LogEntry entry) {
        return withLive(id, lj -> {
            Job old = lj.job();
            if (old.status().isTerminal()) {
                throw HeraldException.finished(old.status());
            }
            Instant now = clock.instant();
            LogLine line = new LogLine(lj.nextLogSeq(), now, entry.level(), entry.message(), entry.fields());
            Job next = Transitions.next(old, old.status(), now).build();
            lj.set(next);
            return writes.submit(lj, next, JobEvent.log(next, line).within(lj.ancestors), null).thenApply(v -> line);
        });
    }

    private CompletableFuture<Job> transition(String id, UnaryOperator<Job> change) {
        return withLive(id, lj -> changed(lj, change.apply(lj.job())));
    }

    /** Caller holds the job's monitor: {@code next}, a change of status, made the job's state and durable. */
    CompletableFuture<Job> changed(LiveJob lj, Job next) {
        Job old = lj.job();
        long now = next.updatedAt().toEpochMilli();
        if (next.status() == JobStatus.RUNNING) {
            lj.timeline.started(now, next);
            next = estimates.estimated(lj, next, now);
        } else if (next.status().isTerminal()) {
            estimates.finished(lj, next, now);
        }
        lj.set(next);
        return durable(lj, next, old.status());
    }

    /** Caller holds the job's monitor and has set {@code next}: its status event, answered once durable. */
    private CompletableFuture<Job> durable(LiveJob lj, Job next, JobStatus from) {
        return writes.submit(lj, next, JobEvent.status(next, from).within(lj.ancestors), null)
                .thenApply(v -> {
                    children.changed(next);
                    return next;
                });
    }

    /**
     * Runs the action under the job's monitor, loading the job first when it is not in memory. In a cluster only
     * while this node's lease is valid: past it another node may own the job's tree (docs/cluster.md §2.3).
     */
    <T> CompletableFuture<T> withLive(String id, Function<LiveJob, CompletableFuture<T>> action) {
        if (!cache.mayAct()) {
            return CompletableFuture.failedFuture(OwnedTrees.lapsed());
        }
        LiveJob lj = cache.get(id);
        if (lj == null) {
            // the first job of a tree taken over raises the tree's versions before any command runs on them
            return CompletableFuture.supplyAsync(() -> gap.loaded(cache.load(id)), reads)
                    .thenCompose(l -> withLive(id, action));
        }
        synchronized (lj) {
            if (lj.isRetired()) {
                return withLive(id, action);
            }
            if (lj.tree != null && lj.tree.isGone()) {
                // loaded just as its tree was fenced out: it is not this node's to change, so look again
                cache.forget(lj);
                return withLive(id, action);
            }
            lj.touch(clock.millis());
            try {
                if (leaseToken != null) {
                    Leases.hold(lj, leaseToken, clock.instant());
                }
                return action.apply(lj);
            } catch (HeraldException e) {
                CompletableFuture<Void> ending = lj.lastWrite;
                if (e.code() == ErrorCode.JOB_FINISHED && ending != null && !ending.isDone()) {
                    // the job's end is not durable yet: a worker told to stop must never see it undone, so answer
                    // once it is (or, if the store refuses it, as the job then stands)
                    return ending.handleAsync((v, refused) -> null, reads).thenCompose(v -> withLive(id, action));
                }
                return CompletableFuture.failedFuture(e);
            }
        }
    }
}
