package dev.herald.core.engine;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Changes of several jobs made durable in one transaction, answered together. */
final class WriteGroup {
    private final WriteQueue queue;
    private final List<WriteQueue.Item> items = new ArrayList<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    WriteGroup(WriteQueue queue) {
        this.queue = queue;
    }

    /** Adds a change; the caller holds the job's monitor, so the job's later events wait for the group. */
    void add(LiveJob live, Job state, JobEvent event) {
        queue.checkOpen();
        live.inFlight.incrementAndGet();
        live.lastWrite = done;
        items.add(new WriteQueue.Item(live, state, event, null, null, null));
    }

    CompletableFuture<Void> submit() {
        if (items.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        List<WriteQueue.Item> all = new ArrayList<>(items);
        WriteQueue.Item last = all.remove(all.size() - 1);
        all.add(new WriteQueue.Item(last.live(), last.state(), last.event(), null, null, done));
        queue.queueTransaction(all);
        return done;
    }
}
