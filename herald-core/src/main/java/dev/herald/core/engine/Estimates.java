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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's side of API §10: each running job's estimate from its timeline and
 * its type's history, and each finished run added to that history. Histories are
 * read on the read threads and kept in memory as statistics; a job whose type's
 * history is not loaded yet is estimated from its rate alone until it is.
 */
final class Estimates {
    private static final System.Logger LOG = System.getLogger(Estimates.class.getName());
    /** The most finished runs recorded in one transaction. */
    static final int RUNS_AT_ONCE = 1000;
    /**
     * How long a finished run waits for others to be recorded with: one history transaction (on SQLite, a sync of
     * the file beside the store writer's) per interval at most, not one per handful of runs. A crash may lose the
     * runs of the last interval from the statistics; no transition is in them.
     */
    static final long RECORD_DELAY_MS = 100;

    private record TypeKey(String project, String type) {
        static TypeKey of(RunRecord run) {
            return new TypeKey(run.project(), run.type());
        }
    }

    /** A history's statistics and the order its read began in, so a slower older read never replaces it. */
    private record Loaded(long read, HistoryStats stats) {
    }

    private final JobStore store;
    private final Executor reads;
    private final Map<TypeKey, Loaded> stats = new ConcurrentHashMap<>();
    private final AtomicLong readCount = new AtomicLong();
    private final Map<TypeKey, Boolean> loading = new ConcurrentHashMap<>();
    private final Queue<RunRecord> finishedRuns = new ConcurrentLinkedQueue<>();
    /** Whether a read thread is recording {@link #finishedRuns} (or about to): one at a time. */
    private final AtomicBoolean recording = new AtomicBoolean();

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
        finishedRuns.add(lj.timeline.finish(nowMs, job));
        recordSoon();
    }

    /*
     * One transaction per run fell tens of thousands of runs behind at a few hundred finished jobs a second
     * (BENCHMARKS.md, "Storage size"): the runs that finish while one batch waits or is written go in the next.
     */
    private void recordSoon() {
        if (recording.compareAndSet(false, true)) {
            CompletableFuture.runAsync(this::recordQueued,
                    CompletableFuture.delayedExecutor(RECORD_DELAY_MS, TimeUnit.MILLISECONDS, reads));
        }
    }

    /** Records the runs still waiting, on the caller's thread: the engine closes, its store writer stopped. */
    void close() {
        try {
            for (List<RunRecord> runs = nextRuns(); !runs.isEmpty(); runs = nextRuns()) {
                store.recordRuns(runs);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, finishedRuns.size() + " finished runs were not recorded at the stop", e);
        }
    }

    private List<RunRecord> nextRuns() {
        List<RunRecord> runs = new ArrayList<>();
        for (RunRecord run = finishedRuns.poll(); run != null; run = finishedRuns.poll()) {
            runs.add(run);
            if (runs.size() == RUNS_AT_ONCE) {
                break;
            }
        }
        return runs;
    }

    private void recordQueued() {
        List<RunRecord> runs = new ArrayList<>();
        try {
            runs = nextRuns();
            store.recordRuns(runs);
            Set<TypeKey> types = new LinkedHashSet<>(runs.stream().map(TypeKey::of).toList());
            types.forEach(this::load);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, runs.size() + " finished runs could not join their histories", e);
        } finally {
            recording.set(false);
        }
        if (!finishedRuns.isEmpty()) {
            recordSoon();
        }
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
