package dev.herald.core.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The jobs whose deletion is queued but not yet written or refused. The store still holds such a job, so a load of it
 * meanwhile (a summary's update, another sweep's deletion) would put it back in memory, and its state written behind
 * from there would write the row back after the deletion: a load waits for the deletion's outcome first.
 */
final class PendingDeletions {
    private final ConcurrentHashMap<String, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();

    /** Runs {@code deletion}, which lets the job go from memory and queues its deletion; answers its answer. */
    CompletableFuture<Void> run(String id, Supplier<CompletableFuture<Void>> deletion) {
        CompletableFuture<Void> outcome = new CompletableFuture<>();
        pending.put(id, outcome);
        CompletableFuture<Void> written;
        try {
            written = deletion.get();
        } catch (RuntimeException e) {
            settle(id, outcome);
            throw e;
        }
        written.whenComplete((v, refused) -> settle(id, outcome));
        return written;
    }

    /** Blocks until a deletion of the job that is queued now is written or refused. */
    void awaitOutcome(String id) {
        CompletableFuture<Void> outcome = pending.get(id);
        if (outcome != null) {
            outcome.join();
        }
    }

    private void settle(String id, CompletableFuture<Void> outcome) {
        pending.remove(id, outcome);
        outcome.complete(null);
    }
}
