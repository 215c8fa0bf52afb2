package dev.herald.core.engine;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.port.JobStore;
import dev.herald.core.port.WriteBatch;
import dev.herald.core.port.WriteConflict;
import dev.herald.core.port.WriteResult;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The one thread that writes to the store. Durable changes (transitions, logs,
 * creations, deletions) wait in the {@link WriteQueue} and are committed in groups,
 * one transaction for all that queued meanwhile; only then are they answered and
 * their events published, in the order they were queued, each retained event at the
 * stream position the store gave it. Progress is written behind: a job marked dirty has its
 * newest state written with the next flush, at most one flush interval later.
 */
final class StoreWriter implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(StoreWriter.class.getName());
    private static final int MAX_ITEMS = 4096;
    private static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final JobStore store;
    private final WriteQueue writes;
    private final EventPublisher publisher;
    private final long flushNanos;
    /** Its flush timer is told the nanoseconds of every store write, its node meters every conflict. */
    private final EngineOptions options;
    /** Told of jobs whose change could not be written, so their cached state is dropped, and of trees fenced out. */
    private final JobCache cache;
    /** Set once a change or a flush was not written: versions given out may be missing from the store. */
    private volatile boolean failed;
    private final Thread thread;

    StoreWriter(JobStore store, WriteQueue writes, EventPublisher publisher, EngineOptions options, JobCache cache) {
        this.store = store;
        this.writes = writes;
        this.publisher = publisher;
        this.flushNanos = options.flushInterval().toNanos();
        this.options = options;
        this.cache = cache;
        this.thread = new Thread(this::run, "herald-store-writer");
        this.thread.start();
    }

    // The flush cadence and the write durations told to the flush timer are intervals of real elapsed time on this
    // thread, not moments a job records, so they stay on System.nanoTime: the engine's clock may be one a test
    // holds still, and the writer must go on flushing (and measuring) whatever it says.
    private void run() {
        long nextFlush = System.nanoTime() + flushNanos;
        List<WriteQueue.Item> items = new ArrayList<>();
        while (writes.isOpen() || !writes.isEmpty()) {
            try {
                // bounded, so that close() is noticed within a moment whatever the flush interval
                long wait = Math.min(MAX_WAIT_NANOS, Math.max(0, nextFlush - System.nanoTime()));
                writes.takeInto(items, wait, MAX_ITEMS);
                boolean flushDue = System.nanoTime() >= nextFlush || !writes.isOpen();
                if (flushDue) {
                    nextFlush = System.nanoTime() + flushNanos;
                }
                commit(items, flushDue);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                writes.close();
            } catch (RuntimeException e) {
                failed = true;
                LOG.log(Level.ERROR, "store writer step failed", e);
            } finally {
                items.clear();
            }
        }
        flushDirty();
    }

    private void commit(List<WriteQueue.Item> items, boolean flushDirty) {
        List<LiveJob> flushed = flushDirty ? writes.drainDirty() : List.of();
        List<WriteQueue.Item> pending = refuseLetGo(items);
        while (true) {
            CommitBatch commit = CommitBatch.of(pending, flushed, writes);
            WriteResult result;
            try {
                result = commit.batch().isEmpty() ? WriteResult.NONE : timedWrite(commit.batch());
            } catch (WriteConflict conflict) {
                options.nodeMeters().conflict(conflict);
                Conflicts split = Conflicts.of(conflict, pending, flushed);
                if (split.lost().isEmpty()) {
                    fail(pending, flushed, conflict);
                    return;
                }
                failed = true;
                LOG.log(conflict.fencedTrees().isEmpty() ? Level.ERROR : Level.WARNING,
                        conflict.getMessage() + "; the rest is written again");
                cache.dropTrees(conflict.fencedTrees()).forEach(writes::forgetDirty);
                refuse(split.refused(), split.lost(), split::refusal);
                pending = split.kept();
                flushed = split.keptFlushed();
                continue;
            } catch (RuntimeException e) {
                fail(pending, flushed, e);
                return;
            }
            commit.stored();
            publish(pending, result);
            return;
        }
    }

    /**
     * A change of a tree this node let go (fenced out) was applied nowhere: it is refused before the store is asked,
     * since the fence would pass it were the tree this node's again by then, with another memory of it.
     */
    private List<WriteQueue.Item> refuseLetGo(List<WriteQueue.Item> items) {
        if (items.stream().noneMatch(Conflicts::letGo)) {
            return items;
        }
        refuse(items.stream().filter(Conflicts::letGo).toList(), Set.of(), item -> Conflicts.moved());
        return items.stream().filter(item -> !Conflicts.letGo(item)).toList();
    }

    private WriteResult timedWrite(WriteBatch batch) {
        long start = System.nanoTime();
        WriteResult result = store.write(batch);
        options.flushTimer().accept(System.nanoTime() - start);
        return result;
    }

    /** Answers and publishes the committed items in order, each retained event at the position the store gave it. */
    private void publish(List<WriteQueue.Item> items, WriteResult result) {
        Iterator<JobEvent> positioned = result.events().iterator();
        for (WriteQueue.Item item : items) {
            JobEvent event = item.event();
            if (event != null) {
                publisher.publishCommitted(event.type().isRetained() ? positioned.next() : event);
            }
            settle(item);
            if (item.deleteId() != null) {
                cache.deleted(item.live());
            }
            if (item.done() != null) {
                item.done().complete(null);
            }
        }
    }

    private void fail(List<WriteQueue.Item> items, List<LiveJob> flushed, RuntimeException cause) {
        failed = true;
        LOG.log(Level.ERROR, "store write failed; " + items.size() + " changes refused", cause);
        HeraldException refusal = new HeraldException(ErrorCode.UNAVAILABLE, "the store is unavailable; try again");
        Set<LiveJob> lost = new HashSet<>();
        for (WriteQueue.Item item : items) {
            if (item.writes()) {
                lost.add(item.live());
            }
        }
        refuse(items, lost, item -> refusal);
        for (LiveJob live : flushed) {
            if (!lost.contains(live)) {
                writes.markDirty(live);
            }
        }
    }

    /**
     * A lost job's memory holds a state the store refused: it is dropped before anyone hears of the
     * refusal, and never flushed later.
     */
    private void refuse(List<WriteQueue.Item> items, Set<LiveJob> lost, Function<WriteQueue.Item, Throwable> why) {
        items.forEach(StoreWriter::settle);
        for (LiveJob live : lost) {
            writes.forgetDirty(live);
            cache.forget(live);
        }
        for (WriteQueue.Item item : items) {
            if (item.deleteId() != null) {
                cache.deleted(item.live());
            }
        }
        for (WriteQueue.Item item : items) {
            if (item.done() != null) {
                item.done().completeExceptionally(why.apply(item));
            }
        }
    }

    private static void settle(WriteQueue.Item item) {
        if (item.live() != null) {
            item.live().inFlight.decrementAndGet();
        }
    }

    private void flushDirty() {
        WriteBatch batch = CommitBatch.of(List.of(), writes.drainDirty(), writes).batch();
        if (batch.isEmpty()) {
            return;
        }
        try {
            store.write(batch);
        } catch (RuntimeException e) {
            failed = true;
            LOG.log(Level.ERROR, "the last progress could not be written at the stop", e);
        }
    }

    /** Writes what is queued and dirty, then stops. */
    @Override
    public void close() {
        writes.close();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** After {@link #close}: whether every change and flush of this writer's life was written. */
    boolean wroteAll() {
        return !failed && !thread.isAlive();
    }
}
