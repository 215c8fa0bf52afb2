package dev.herald.core.engine;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.port.WriteBatch;

import java.util.concurrent.CompletableFuture;

/**
 * Where the engine's commands and helpers hand their changes: durable ones are
 * answered once the store writer has committed them, progress and summaries are
 * written behind, and every event goes out in the job's version order. A change is
 * handed over with its job's monitor held, so a job's changes queue in version order.
 */
interface JobWrites {
    /** Queues a durable change; {@code key} may be null. Completes once committed, or fails if refused. */
    CompletableFuture<Void> submit(LiveJob live, Job state, JobEvent event, WriteBatch.IdempotencyKey key);

    /** Queues the job's deletion with its {@code deleted} event. */
    CompletableFuture<Void> delete(LiveJob live, JobEvent deleted);

    /**
     * Publishes an event that is not retained. It goes straight out unless an
     * earlier change of the same job is still queued, in which case it waits its
     * turn behind it.
     */
    void publish(LiveJob live, JobEvent event);

    /** The job's newest state is to be written with the next flush. */
    void markDirty(LiveJob live);

    /** A set of changes of several jobs to be made durable in one transaction. */
    WriteGroup group();
}
