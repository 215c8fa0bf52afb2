package dev.herald.core.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/** Tells when the changes of some jobs made so far have reached the subscribers (see {@link EngineStreams#published}). */
final class Publication {
    private final JobCache cache;
    private final WriteQueue writes;
    /** Up to which position every retained event is in subscribers' hands. */
    private final LongSupplier position;

    Publication(JobCache cache, WriteQueue writes, LongSupplier position) {
        this.cache = cache;
        this.writes = writes;
        this.position = position;
    }

    CompletableFuture<Long> published(Collection<String> ids) {
        List<CompletableFuture<Void>> waits = new ArrayList<>();
        for (String id : ids) {
            LiveJob lj = cache.get(id);
            if (lj == null || lj.inFlight.get() == 0) {
                continue; // every change counted before now is published
            }
            synchronized (lj) {
                // a cancelled descendant's state is set before its group is queued, so a barrier alone is not enough
                waits.add(lj.lastWrite);
            }
        }
        if (waits.isEmpty()) {
            return CompletableFuture.completedFuture(position.getAsLong());
        }
        waits.add(writes.barrier());
        // a refused write is never published: nothing more to wait for
        return CompletableFuture.allOf(waits.stream().filter(Objects::nonNull).map(w -> w.exceptionally(e -> null))
                .toArray(CompletableFuture[]::new)).thenApply(v -> position.getAsLong());
    }
}
