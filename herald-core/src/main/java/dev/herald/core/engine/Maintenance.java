package dev.herald.core.engine;

import dev.herald.core.port.JobStore;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The engine's background work, on a thread of its own: at every sweep idle jobs
 * leave memory and expired ones are deleted; at every tick children's changes reach
 * their parents' summaries; once, at the start, the summaries a crash may have left
 * behind are counted again. How often it runs is real time; what it finds idle or
 * expired is the engine's clock's say. On a node of a cluster deletion and repair are
 * duties instead ({@link ClusterWiring}).
 */
final class Maintenance implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Maintenance.class.getName());
    /** Events before a start whose jobs' parents are counted again: a summary lags by far fewer (a tick, a flush). */
    private static final int REPAIR_EVENTS = 10_000;

    private final ScheduledExecutorService thread;
    private final JobStore store;
    private final JobCache cache;
    private final WriteQueue writes;
    private final ChildrenAggregator children;
    private final Retention retention;
    private final Duration cacheIdle;
    private volatile boolean alone;

    Maintenance(ScheduledExecutorService thread, JobStore store, JobCache cache, WriteQueue writes,
                ChildrenAggregator children, Retention retention, Duration cacheIdle) {
        this.thread = thread;
        this.store = store;
        this.cache = cache;
        this.writes = writes;
        this.children = children;
        this.retention = retention;
        this.cacheIdle = cacheIdle;
    }

    /** @param alone whether the engine is alone on its store: then it deletes expired jobs and repairs summaries */
    void start(Duration sweepEvery, boolean alone) {
        this.alone = alone;
        long sweep = sweepEvery.toMillis();
        thread.scheduleWithFixedDelay(this::sweep, sweep, sweep, TimeUnit.MILLISECONDS);
        thread.scheduleWithFixedDelay(children::tick, ChildrenAggregator.TICK_MS, ChildrenAggregator.TICK_MS,
                TimeUnit.MILLISECONDS);
        if (alone) {
            thread.execute(this::repairSummaries);
        }
    }

    /** Runs {@code task} on the maintenance thread every {@code period}, a failure logged and tried again. */
    void every(Duration period, Runnable task) {
        long ms = period.toMillis();
        thread.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a periodic check failed; will try again", e);
            }
        }, ms, ms, TimeUnit.MILLISECONDS);
    }

    private void sweep() {
        try {
            cache.evictIdle(cacheIdle, writes::hasPendingWrites);
            if (alone) {
                retention.deleteExpired();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "maintenance failed; will try again", e);
        }
    }

    /**
     * Summaries are written behind, so a crash (or a stop) can leave some a moment behind their children: the
     * parents, and their ancestors, of the jobs with the newest events are counted again.
     */
    private void repairSummaries() {
        try {
            long after = Math.max(0, store.lastPosition() - REPAIR_EVENTS);
            for (String parentId : store.parentsOfJobsWithEventsAfter(after)) {
                children.recount(parentId);
                store.find(parentId).ifPresent(p -> cache.ancestorsOf(p).forEach(children::recount));
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "children summaries could not be checked after the start", e);
        }
    }

    /** Stops at once: whatever a sweep or a tick left is picked up after the next start. */
    @Override
    public void close() {
        thread.shutdownNow();
    }
}
