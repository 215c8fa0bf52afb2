package dev.herald.core.engine;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.core.port.WriteBatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What waits for the {@link StoreWriter}: durable changes in the order they were
 * queued, and the jobs whose newest state is to be written behind with the next
 * flush. Callers hold the job's monitor, so a job's changes queue in version order.
 */
final class WriteQueue implements JobWrites {
    /** Something to do in commit order; {@code state}, {@code event}, {@code key} and {@code deleteId} may be null. */
    record Item(LiveJob live, Job state, JobEvent event, WriteBatch.IdempotencyKey key, String deleteId,
                CompletableFuture<Void> done) {
        boolean writes() {
            return state != null || key != null || deleteId != null || (event != null && event.type().isRetained());
        }

        /** Nothing to write: its {@code done} completes once everything queued before it is published. */
        static Item barrier(CompletableFuture<Void> done) {
            return new Item(null, null, null, null, null, done);
        }
    }

    private final EventPublisher publisher;
    /** Each element commits in one transaction: a single change, or a group that must not be split. */
    private final BlockingQueue<List<Item>> queue = new LinkedBlockingQueue<>();
    private final Set<LiveJob> dirty = ConcurrentHashMap.newKeySet();
    private volatile boolean open = true;

    WriteQueue(EventPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public CompletableFuture<Void> submit(LiveJob live, Job state, JobEvent event, WriteBatch.IdempotencyKey key) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        enqueue(new Item(live, state, event, key, null, done));
        return done;
    }

    @Override
    public CompletableFuture<Void> delete(LiveJob live, JobEvent deleted) {
        // a state still to be written behind (a finished parent's summary) would write the row back after this
        forgetDirty(live);
        CompletableFuture<Void> done = new CompletableFuture<>();
        enqueue(new Item(live, null, deleted, null, live.id, done));
        return done;
    }

    @Override
    public void publish(LiveJob live, JobEvent event) {
        if (live.inFlight.get() == 0) {
            publisher.publishNow(event);
        } else {
            enqueue(new Item(live, null, event, null, null, null));
        }
    }

    /** Completes once everything queued so far has been published (or refused by the store). */
    CompletableFuture<Void> barrier() {
        if (!open) {
            return CompletableFuture.failedFuture(shuttingDown());
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        queueTransaction(List.of(Item.barrier(done)));
        return done;
    }

    @Override
    public void markDirty(LiveJob live) {
        dirty.add(live);
    }

    @Override
    public WriteGroup group() {
        return new WriteGroup(this);
    }

    /** Whether the job has a change queued or a state not yet written: until it has none it stays in memory. */
    boolean hasPendingWrites(LiveJob live) {
        return live.inFlight.get() > 0 || dirty.contains(live);
    }

    private void enqueue(Item item) {
        checkOpen();
        item.live().inFlight.incrementAndGet();
        if (item.done() != null) {
            item.live().lastWrite = item.done();
        }
        WriteGroup group = item.live().heldBy;
        if (group == null || !group.holdBehind(item)) {
            queueTransaction(List.of(item));
        }
    }

    /** Queues changes that commit in one transaction; the caller has counted them in flight. */
    void queueTransaction(List<Item> transaction) {
        queue.add(transaction);
    }

    void checkOpen() {
        if (!open) {
            throw shuttingDown();
        }
    }

    private static HeraldException shuttingDown() {
        return new HeraldException(ErrorCode.UNAVAILABLE, "the server is shutting down");
    }

    /** Refuses new changes from now on; what is queued is still written. */
    void close() {
        open = false;
    }

    boolean isOpen() {
        return open;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /**
     * Moves what is queued into {@code items}, whole transactions only, waiting up to {@code waitNanos} for the
     * first and taking more while fewer than {@code max} are taken.
     */
    void takeInto(List<Item> items, long waitNanos, int max) throws InterruptedException {
        List<Item> first = queue.poll(waitNanos, TimeUnit.NANOSECONDS);
        if (first == null) {
            return;
        }
        items.addAll(first);
        List<Item> next;
        while (items.size() < max && (next = queue.poll()) != null) {
            items.addAll(next);
        }
    }

    /** The dirty jobs, no longer dirty: their newest states are to be written now. */
    List<LiveJob> drainDirty() {
        List<LiveJob> flushed = new ArrayList<>(dirty.size());
        for (LiveJob live : dirty) {
            dirty.remove(live);
            flushed.add(live);
        }
        return flushed;
    }

    /** The job's memory holds a state the store refused: it must never be flushed. */
    void forgetDirty(LiveJob live) {
        dirty.remove(live);
    }
}
