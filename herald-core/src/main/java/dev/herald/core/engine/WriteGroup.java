package dev.herald.core.engine;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Changes of several jobs made durable in one transaction, answered together. Until the group is submitted, later
 * changes of its jobs wait in it, to be queued right behind its transaction in their order.
 */
final class WriteGroup {
    private final WriteQueue queue;
    private final List<WriteQueue.Item> items = new ArrayList<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    /** Guarded by this object, as is {@code submitted}. */
    private final List<WriteQueue.Item> behind = new ArrayList<>();
    private boolean submitted;

    WriteGroup(WriteQueue queue) {
        this.queue = queue;
    }

    /** Adds a change; the caller holds the job's monitor, so the job's later events wait for the group. */
    void add(LiveJob live, Job state, JobEvent event) {
        queue.checkOpen();
        live.inFlight.incrementAndGet();
        live.lastWrite = done;
        live.heldBy = this;
        items.add(new WriteQueue.Item(live, state, event, null, null, null));
    }

    /** Keeps a later change of one of the group's jobs until the group is queued; false once it is. */
    synchronized boolean holdBehind(WriteQueue.Item item) {
        if (submitted) {
            return false;
        }
        behind.add(item);
        return true;
    }

    CompletableFuture<Void> submit() {
        if (items.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        List<WriteQueue.Item> all = new ArrayList<>(items);
        WriteQueue.Item last = all.remove(all.size() - 1);
        all.add(new WriteQueue.Item(last.live(), last.state(), last.event(), null, null, done));
        synchronized (this) {
            queue.queueTransaction(all);
            for (WriteQueue.Item item : behind) {
                queue.queueTransaction(List.of(item));
            }
            behind.clear();
            submitted = true;
        }
        for (WriteQueue.Item item : items) {
            synchronized (item.live()) {
                if (item.live().heldBy == this) {
                    item.live().heldBy = null;
                }
            }
        }
        return done;
    }
}
