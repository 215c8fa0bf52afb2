package dev.herald.core.engine;

import dev.herald.core.cluster.OwnedTree;
import dev.herald.core.estimate.RunTimeline;
import dev.herald.core.model.Job;
import dev.herald.core.model.RawJson;
import dev.herald.core.rules.ChildTally;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A job the engine holds in memory: its newest state (ahead of the store by at most
 * one flush of progress), and what the engine needs to keep its events in order.
 * Changes happen under the object's monitor.
 */
final class LiveJob {
    final String id;
    /** Parent first, then its parent, up to the root; fixed for the job's life. */
    final List<String> ancestors;
    /** The tree this node owns the job by, its writes fenced on; null outside a cluster. */
    final OwnedTree tree;
    /** Its run's stages and rate, for the estimate and the history; guarded by the monitor. */
    final RunTimeline timeline;
    /** Durable writes and events queued behind them that the writer has not published yet. */
    final AtomicInteger inFlight = new AtomicInteger();
    /**
     * The newest version the store writer committed; only that thread reads or moves it. A queued
     * change may carry an older state than a flush already wrote (the flush writes the newest), and
     * the store would take that state for a stale one.
     */
    long storedVersion;
    /** Completes when the newest durable write queued for this job is committed or refused; guarded by the monitor. */
    CompletableFuture<Void> lastWrite;
    /**
     * A group holding a change of this job that it has not queued yet: the job's later changes must queue behind
     * it, or a reader would get a newer version first and drop the group's as stale, and its newer state must not
     * be flushed before the group commits. Guarded by the monitor.
     */
    WriteGroup heldBy;
    private Job job;
    private long lastLogSeq;
    /** Set under the monitor when the cache lets go of this object; a command that finds it retired looks again. */
    private boolean retired;
    /** The engine clock's millis when a command last touched the job; idle eviction reads it. */
    private volatile long lastAccessMillis;

    /** The input of a job being created, until its creation is written with it; then null. */
    volatile RawJson input;

    /** Counts of the children, once the job is known to have some; guarded by the monitor. */
    ChildTally tally;
    /** Children being created under this job, not yet durable; guarded by the monitor. */
    int childrenBeingCreated;
    /** Children whose creation became durable since this object was loaded; guarded by the monitor. */
    long childrenCreated;

    LiveJob(Job job, long lastLogSeq, List<String> ancestors, OwnedTree tree, long nowMillis,
            long pauseAfterMillis) {
        this.id = job.id();
        this.tree = tree;
        this.timeline = new RunTimeline(pauseAfterMillis);
        this.ancestors = List.copyOf(ancestors);
        this.job = job;
        this.lastLogSeq = lastLogSeq;
        this.lastAccessMillis = nowMillis;
    }

    synchronized Job job() {
        return job;
    }

    /** Caller holds the monitor. */
    void set(Job next) {
        job = next;
    }

    /** Caller holds the monitor. */
    long nextLogSeq() {
        return ++lastLogSeq;
    }

    /** Caller holds the monitor. */
    boolean isRetired() {
        return retired;
    }

    /** Caller holds the monitor. */
    void retire() {
        retired = true;
    }

    void touch(long nowMillis) {
        lastAccessMillis = nowMillis;
    }

    long idleMillis(long nowMillis) {
        return nowMillis - lastAccessMillis;
    }
}
