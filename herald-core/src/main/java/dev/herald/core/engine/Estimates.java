package dev.herald.core.engine;

import dev.herald.core.estimate.Estimate;
import dev.herald.core.estimate.HistoryStats;
import dev.herald.core.estimate.ParentEta;
import dev.herald.core.history.RunHistory;
import dev.herald.core.history.RunRecord;
import dev.herald.core.model.Eta;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.port.JobStore;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's side of API §10: each running job's estimate from its timeline and
 * its type's history, and each finished run added to that history. Histories are
 * read on the read threads and kept in memory as statistics; a job whose type's
 * history is not loaded yet is estimated from its rate alone until it is.
 */
final class Estimates {
    private static final System.Logger LOG = System.getLogger(Estimates.class.getName());

    private record TypeKey(String project, String type) {
    }

    /** A history's statistics and the order its read began in, so a slower older read never replaces it. */
    private record Loaded(long read, HistoryStats stats) {
    }

    private final JobStore store;
    private final Executor reads;
    private final Map<TypeKey, Loaded> stats = new ConcurrentHashMap<>();
    private final AtomicLong readCount = new AtomicLong();
    private final Map<TypeKey, Boolean> loading = new ConcurrentHashMap<>();

    Estimates(JobStore store, Executor reads) {
        this.store = store;
        this.reads = reads;
    }

    /**
     * Caller holds the job's monitor: {@code job} with its estimate and {@code overdue} as of {@code nowMs}; a
     * parent's estimate is its children's when they tell one.
     */
    Job estimated(LiveJob lj, Job job, long nowMs) {
        Estimate e = estimate(lj, job, nowMs);
        Eta children = fromChildren(lj, job);
        return job.toBuilder().eta(children != null ? children : e.eta()).overdue(e.overdue()).build();
    }

    /** Caller holds the parent's monitor: its estimate from its unfinished children, or null when they tell none. */
    private Eta fromChildren(LiveJob parent, Job job) {
        if (parent.tally == null || job.status().isTerminal()) {
            return null;
        }
        List<ParentEta.Child> children = new ArrayList<>();
        parent.tally.forEachUnfinished((status, type, eta) -> {
            HistoryStats history = stats(new TypeKey(job.project(), type));
            Long median = history.sampleSize() > 0 ? history.p50() : null;
            children.add(new ParentEta.Child(status, eta, median, history.sampleSize()));
        });
        return ParentEta.of(children, parent.tally.parallelism());
    }

    /** Caller holds the job's monitor. */
    Estimate estimate(LiveJob lj, Job job, long nowMs) {
        return lj.timeline.estimate(nowMs, job, stats(new TypeKey(job.project(), job.type())));
    }

    /** Caller holds the job's monitor and {@code job} just ended: its run joins its type's history. */
    void finished(LiveJob lj, Job job, long nowMs) {
        if (job.startedAt() == null || job.status() == JobStatus.CANCELLED) {
            return;
        }
        RunRecord run = lj.timeline.finish(nowMs, job);
        TypeKey key = new TypeKey(job.project(), job.type());
        CompletableFuture.runAsync(() -> {
            store.recordRun(run);
            load(key);
        }, reads).exceptionally(e -> {
            LOG.log(Level.WARNING, "a finished run of " + job.type() + " could not join its history", e);
            return null;
        });
    }

    /** The project's histories, by type. */
    CompletableFuture<List<RunHistory>> histories(String project) {
        return CompletableFuture.supplyAsync(() -> store.histories(project), reads);
    }

    private HistoryStats stats(TypeKey key) {
        Loaded known = stats.get(key);
        if (known != null) {
            return known.stats();
        }
        if (loading.putIfAbsent(key, Boolean.TRUE) == null) {
            CompletableFuture.runAsync(() -> load(key), reads).whenComplete((v, e) -> loading.remove(key));
        }
        return HistoryStats.NONE;
    }

    private void load(TypeKey key) {
        long read = readCount.incrementAndGet();
        Loaded loaded = new Loaded(read, HistoryStats.of(store.history(key.project(), key.type())));
        stats.merge(key, loaded, (old, now) -> old.read() > now.read() ? old : now);
    }
}
