package dev.herald.core.engine;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.core.rules.Transitions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Cancelling a job cancels its whole unfinished subtree in one transaction, so no
 * reader or restart ever sees a cancelled parent over a child still running. The
 * root is cancelled first: from then on no child can be created under it.
 */
final class Cascade {
    private Cascade() {
    }

    private static void cancelOne(JobEngine engine, String id, Instant now, StoreWriter.Group group,
                                  List<Job> cancelled) {
        LiveJob lj;
        try {
            lj = engine.liveBlocking(id);
        } catch (HeraldException gone) {
            return;
        }
        synchronized (lj) {
            Job old = lj.job();
            if (lj.isRetired() || old.status().isTerminal()) {
                return;
            }
            Job next = Transitions.cancel(old, now);
            lj.set(next);
            group.add(lj, next, JobEvent.status(next, old.status()).within(lj.ancestors));
            cancelled.add(next);
        }
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
        // a child created under a parent just before that parent was cancelled is missed by the walk that found
        // the parent; walk again until a walk finds nothing new: cancelled parents take no more children
        Set<String> seen = new HashSet<>();
        boolean found = true;
        while (found) {
            found = false;
            for (String id : engine.descendantIds(root.id)) {
                if (seen.add(id)) {
                    found = true;
                    cancelOne(engine, id, now, group, cancelled);
                }
            }
        }
        return group.submit().thenApply(v -> {
            cancelled.forEach(engine.children()::changed);
            return rootNext;
        });
    }
}
