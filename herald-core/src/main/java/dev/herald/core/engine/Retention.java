package dev.herald.core.engine;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.port.JobStore;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Deletes finished jobs once they are older than the retention, each with a {@code deleted} event. */
final class Retention {
    private static final int PAGE = 500;

    private Retention() {
    }

    /** Returns how many jobs were deleted. Blocks until the deletions are durable. */
    static int deleteFinishedBefore(Instant cutoff, Instant now, JobStore store, JobCache cache, StoreWriter writer,
                                    ChildrenAggregator children) {
        int deleted = 0;
        List<Job> expired;
        do {
            expired = store.finishedBefore(cutoff, PAGE);
            CompletableFuture<?>[] done = new CompletableFuture<?>[expired.size()];
            for (int i = 0; i < expired.size(); i++) {
                Job job = expired.get(i);
                LiveJob lj = cache.get(job.id());
                if (lj == null) {
                    lj = new LiveJob(job, 0, cache.ancestorsOf(job), now.toEpochMilli());
                }
                cache.forget(lj);
                synchronized (lj) {
                    done[i] = writer.delete(lj, JobEvent.deleted(job, now).within(lj.ancestors));
                }
                children.deleted(job);
            }
            CompletableFuture.allOf(done).join();
            deleted += expired.size();
        } while (expired.size() == PAGE);
        return deleted;
    }
}
