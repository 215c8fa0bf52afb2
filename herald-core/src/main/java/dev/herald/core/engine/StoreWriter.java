package dev.herald.core.engine;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.port.JobStore;
import dev.herald.core.port.WriteBatch;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The one thread that writes to the store. Durable changes (transitions, logs,
 * creations, deletions) wait in the {@link WriteQueue} and are committed in groups,
 * one transaction for all that queued meanwhile; only then are they answered and
 * their events published, in the order they were queued, each retained event taking
 * the next stream position. Progress is written behind: a job marked dirty has its
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
    private final Consumer<Long> flushTimer;
    private final Consumer<LiveJob> onLost;
    private final Thread thread;
    /** Position of the newest retained event committed; only this thread moves it. */
    private long position;

    /**
     * @param flushTimer told the nanoseconds of every store write, for metrics
     * @param onLost     told of a job whose change could not be written, so its cached state is dropped
     */
    StoreWriter(JobStore store, WriteQueue writes, EventPublisher publisher, Duration flushInterval,
                Consumer<Long> flushTimer, Consumer<LiveJob> onLost) {
        this.store = store;
        this.writes = writes;
        this.publisher = publisher;
        this.flushNanos = flushInterval.toNanos();
        this.flushTimer = flushTimer;
        this.onLost = onLost;
        this.position = publisher.position();
        this.thread = new Thread(this::run, "herald-store-writer");
        this.thread.start();
    }

    // The flush cadence and the write durations told to flushTimer are intervals of real elapsed time on this
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
                LOG.log(Level.ERROR, "store writer step failed", e);
            } finally {
                items.clear();
            }
        }
        flushDirty();
    }

    private void commit(List<WriteQueue.Item> items, boolean flushDirty) {
        WriteBatch batch = new WriteBatch();
        long first = position;
        List<JobEvent> positioned = new ArrayList<>(items.size());
        for (WriteQueue.Item item : items) {
            JobEvent event = item.event();
            if (event != null && event.type().isRetained()) {
                event = event.at(++position);
                batch.event(event);
            }
            positioned.add(event);
            if (item.state() != null) {
                batch.job(item.state());
            }
            if (item.key() != null) {
                batch.key(item.key());
            }
            if (item.deleteId() != null) {
                batch.delete(item.deleteId());
            }
        }
        List<LiveJob> flushed = flushDirty ? writes.drainDirty(batch) : List.of();
        if (!batch.isEmpty()) {
            try {
                long start = System.nanoTime();
                store.write(batch);
                flushTimer.accept(System.nanoTime() - start);
            } catch (RuntimeException e) {
                position = first;
                fail(items, flushed, e);
                return;
            }
        }
        for (int i = 0; i < items.size(); i++) {
            WriteQueue.Item item = items.get(i);
            JobEvent event = positioned.get(i);
            if (event != null) {
                publisher.publishCommitted(event);
            }
            settle(item);
            if (item.done() != null) {
                item.done().complete(null);
            }
        }
    }

    private void fail(List<WriteQueue.Item> items, List<LiveJob> flushed, RuntimeException cause) {
        LOG.log(Level.ERROR, "store write failed; " + items.size() + " changes refused", cause);
        HeraldException refusal = new HeraldException(ErrorCode.UNAVAILABLE, "the store is unavailable; try again");
        Set<LiveJob> lost = new HashSet<>();
        for (WriteQueue.Item item : items) {
            settle(item);
            if (item.writes()) {
                lost.add(item.live());
            }
        }
        // a lost job's memory holds a state the store refused: drop it before anyone hears of the refusal,
        // and never flush it later
        for (LiveJob live : lost) {
            writes.forgetDirty(live);
            onLost.accept(live);
        }
        for (WriteQueue.Item item : items) {
            if (item.done() != null) {
                item.done().completeExceptionally(refusal);
            }
        }
        for (LiveJob live : flushed) {
            if (!lost.contains(live)) {
                writes.markDirty(live);
            }
        }
    }

    private static void settle(WriteQueue.Item item) {
        if (item.live() != null) {
            item.live().inFlight.decrementAndGet();
        }
    }

    private void flushDirty() {
        WriteBatch batch = new WriteBatch();
        writes.drainDirty(batch);
        if (!batch.isEmpty()) {
            store.write(batch);
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
}
