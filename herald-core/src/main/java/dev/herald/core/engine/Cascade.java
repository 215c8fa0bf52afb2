package dev.herald.core.engine;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.core.rules.Transitions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Cancelling a job cancels its whole unfinished subtree in one transaction, so no
 * reader or restart ever sees a cancelled parent over a child still running. The
 * root is cancelled first: from then on no child can be created under it.
 */
final class Cascade {
    private Cascade() {
    }

    /** Runs on a read thread: it walks the store for descendants. */
    static CompletableFuture<Job> cancel(JobEngine engine, LiveJob root) {
        Instant now = engine.now();
        StoreWriter.Group group = engine.writer().group();
        List<Job> cancelled = new ArrayList<>();
        Job rootNext;
        synchronized (root) {
            if (root.isRetired()) {
                throw HeraldException.notFound();
            }
            Job old = root.job();
            rootNext = Transitions.cancel(old, now);
            root.set(rootNext);
            group.add(root, rootNext, JobEvent.status(rootNext, old.status()).within(root.ancestors));
            cancelled.add(rootNext);
        }
        for (String id : engine.descendantIds(root.id)) {
            LiveJob lj;
            try {
                lj = engine.liveBlocking(id);
            } catch (HeraldException gone) {
                continue;
            }
            synchronized (lj) {
                Job old = lj.job();
                if (lj.isRetired() || old.status().isTerminal()) {
                    continue;
                }
                Job next = Transitions.cancel(old, now);
                lj.set(next);
                group.add(lj, next, JobEvent.status(next, old.status()).within(lj.ancestors));
                cancelled.add(next);
            }
        }
        return group.submit().thenApply(v -> {
            cancelled.forEach(engine.children()::changed);
            return rootNext;
        });
    }
}
