package dev.herald.core.engine;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.core.port.EventBus;
import dev.herald.core.port.JobStore;
import dev.herald.core.port.WriteBatch;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The one thread that writes to the store. Durable changes (transitions, logs,
 * creations, deletions) queue here and are committed in groups, one transaction
 * for all that queued meanwhile; only then are they answered and their events
 * published, in the order they were queued, each retained event taking the next
 * stream position. Progress is written behind: a job marked dirty has its newest
 * state written with the next flush, at most one flush interval later.
 */
final class StoreWriter implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(StoreWriter.class.getName());
    private static final int MAX_ITEMS = 4096;
    private static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** Something to do in commit order; {@code state}, {@code event}, {@code key} and {@code deleteId} may be null. */
    record Item(LiveJob live, Job state, JobEvent event, WriteBatch.IdempotencyKey key, String deleteId,
                CompletableFuture<Void> done) {
        boolean writes() {
            return state != null || key != null || deleteId != null || (event != null && event.type().isRetained());
        }
    }

    private final JobStore store;
    private final EventBus bus;
    private final long flushNanos;
    private final Consumer<Long> flushTimer;
    private final Consumer<LiveJob> onLost;
    /** Each element commits in one transaction: a single change, or a group that must not be split. */
    private final BlockingQueue<List<Item>> queue = new LinkedBlockingQueue<>();
    private final Set<LiveJob> dirty = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long publishedPosition;
    private long position;

    /**
     * @param flushTimer told the nanoseconds of every store write, for metrics
     * @param onLost     told of a job whose change could not be written, so its cached state is dropped
     */
    StoreWriter(JobStore store, EventBus bus, long flushMillis, Consumer<Long> flushTimer, Consumer<LiveJob> onLost) {
        this.store = store;
        this.bus = bus;
        this.flushNanos = TimeUnit.MILLISECONDS.toNanos(flushMillis);
        this.flushTimer = flushTimer;
        this.onLost = onLost;
        this.position = store.lastPosition();
        this.publishedPosition = position;
        this.thread = new Thread(this::run, "herald-store-writer");
        this.thread.start();
    }

    /** Position of the newest retained event published; every retained event up to it is in subscribers' hands. */
    long publishedPosition() {
        return publishedPosition;
    }

    /** Queues a durable change; the caller holds the job's monitor, so a job's items queue in version order. */
    CompletableFuture<Void> submit(LiveJob live, Job state, JobEvent event, WriteBatch.IdempotencyKey key) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        enqueue(new Item(live, state, event, key, null, done));
        return done;
    }

    CompletableFuture<Void> delete(LiveJob live, JobEvent deleted) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        enqueue(new Item(live, null, deleted, null, live.id, done));
        return done;
    }

    /**
     * Publishes an event that is not retained. It goes straight out unless an
     * earlier change of the same job is still queued, in which case it waits its
     * turn behind it. The caller holds the job's monitor.
     */
    void publish(LiveJob live, JobEvent event) {
        if (live.inFlight.get() == 0) {
            bus.publish(event.at(publishedPosition));
        } else {
            enqueue(new Item(live, null, event, null, null, null));
        }
    }

    void markDirty(LiveJob live) {
        dirty.add(live);
    }

    boolean isDirty(LiveJob live) {
        return dirty.contains(live);
    }

    private void enqueue(Item item) {
        checkRunning();
        item.live().inFlight.incrementAndGet();
        if (item.done() != null) {
            item.live().lastWrite = item.done();
        }
        queue.add(List.of(item));
    }

    private void checkRunning() {
        if (!running) {
            throw new HeraldException(ErrorCode.UNAVAILABLE, "the server is shutting down");
        }
    }

    Group group() {
        return new Group();
    }

    /** Changes of several jobs made durable in one transaction, answered together. */
    final class Group {
        private final List<Item> items = new ArrayList<>();
        private final CompletableFuture<Void> done = new CompletableFuture<>();

        /** Adds a change; the caller holds the job's monitor, so the job's later events wait for the group. */
        void add(LiveJob live, Job state, JobEvent event) {
            checkRunning();
            live.inFlight.incrementAndGet();
            live.lastWrite = done;
            items.add(new Item(live, state, event, null, null, null));
        }

        CompletableFuture<Void> submit() {
            if (items.isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            List<Item> all = new ArrayList<>(items);
            Item last = all.remove(all.size() - 1);
            all.add(new Item(last.live(), last.state(), last.event(), null, null, done));
            queue.add(all);
            return done;
        }
    }

    // The flush cadence and the write durations told to flushTimer are intervals of real elapsed time on this
    // thread, not moments a job records, so they stay on System.nanoTime: the engine's clock may be one a test
    // holds still, and the writer must go on flushing (and measuring) whatever it says.
    private void run() {
        long nextFlush = System.nanoTime() + flushNanos;
        List<Item> items = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                // bounded, so that close() is noticed within a moment whatever the flush interval
                long wait = Math.min(MAX_WAIT_NANOS, Math.max(0, nextFlush - System.nanoTime()));
                List<Item> first = queue.poll(wait, TimeUnit.NANOSECONDS);
                if (first != null) {
                    items.addAll(first);
                    List<Item> next;
                    while (items.size() < MAX_ITEMS && (next = queue.poll()) != null) {
                        items.addAll(next);
                    }
                }
                boolean flushDue = System.nanoTime() >= nextFlush || !running;
                if (flushDue) {
                    nextFlush = System.nanoTime() + flushNanos;
                }
                commit(items, flushDue);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "store writer step failed", e);
            } finally {
                items.clear();
            }
        }
        flushDirty();
    }

    private void commit(List<Item> items, boolean flushDirty) {
        WriteBatch batch = new WriteBatch();
        long first = position;
        List<JobEvent> positioned = new ArrayList<>(items.size());
        for (Item item : items) {
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
        List<LiveJob> flushed = flushDirty ? drainDirty(batch) : List.of();
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
            Item item = items.get(i);
            JobEvent event = positioned.get(i);
            if (event != null) {
                boolean retained = event.type().isRetained();
                publishSafely(retained ? event : event.at(publishedPosition));
                if (retained) {
                    // only after subscribers hold the event may another event claim its position
                    publishedPosition = event.position();
                }
            }
            item.live().inFlight.decrementAndGet();
            if (item.done() != null) {
                item.done().complete(null);
            }
        }
    }

    private List<LiveJob> drainDirty(WriteBatch batch) {
        List<LiveJob> flushed = new ArrayList<>(dirty.size());
        for (LiveJob live : dirty) {
            dirty.remove(live);
            batch.job(live.job());
            flushed.add(live);
        }
        return flushed;
    }

    private void fail(List<Item> items, List<LiveJob> flushed, RuntimeException cause) {
        LOG.log(Level.ERROR, "store write failed; " + items.size() + " changes refused", cause);
        HeraldException refusal = new HeraldException(ErrorCode.UNAVAILABLE, "the store is unavailable; try again");
        Set<LiveJob> lost = new HashSet<>();
        for (Item item : items) {
            item.live().inFlight.decrementAndGet();
            if (item.writes()) {
                lost.add(item.live());
            }
        }
        // a lost job's memory holds a state the store refused: drop it before anyone hears of the refusal,
        // and never flush it later
        for (LiveJob live : lost) {
            dirty.remove(live);
            onLost.accept(live);
        }
        for (Item item : items) {
            if (item.done() != null) {
                item.done().completeExceptionally(refusal);
            }
        }
        for (LiveJob live : flushed) {
            if (!lost.contains(live)) {
                dirty.add(live);
            }
        }
    }

    private void publishSafely(JobEvent event) {
        try {
            bus.publish(event);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "an event listener failed", e);
        }
    }

    private void flushDirty() {
        WriteBatch batch = new WriteBatch();
        drainDirty(batch);
        if (!batch.isEmpty()) {
            store.write(batch);
        }
    }

    /** Writes what is queued and dirty, then stops. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
