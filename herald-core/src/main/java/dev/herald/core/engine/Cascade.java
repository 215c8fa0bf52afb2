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
    private final LiveJobs jobs;
    private final JobWrites writes;

    Cascade(LiveJobs jobs, JobWrites writes) {
        this.jobs = jobs;
        this.writes = writes;
    }

    /** Runs on a read thread: it walks the store for descendants. Answers every job it cancelled, root first. */
    CompletableFuture<List<Job>> cancel(LiveJob root, Instant now) {
        WriteGroup group = writes.group();
        List<Job> cancelled = new ArrayList<>();
        synchronized (root) {
            if (root.isRetired()) {
                throw HeraldException.notFound();
            }
            cancelled.add(cancelIn(group, root, now));
        }
        // a child created under a parent just before that parent was cancelled is missed by the walk that found
        // the parent; walk again until a walk finds nothing new: cancelled parents take no more children
        Set<String> seen = new HashSet<>();
        CompletableFuture<Void> written;
        try {
            boolean found = true;
            while (found) {
                found = false;
                for (String id : jobs.descendantIds(root.id)) {
                    if (seen.add(id)) {
                        found = true;
                        cancelDescendant(group, id, now, cancelled);
                    }
                }
            }
        } finally {
            // what is cancelled in memory must be written even when the walk fails, and its jobs' later changes
            // wait for the group
            written = group.submit();
        }
        return written.thenApply(v -> cancelled);
    }

    private void cancelDescendant(WriteGroup group, String id, Instant now, List<Job> cancelled) {
        LiveJob lj;
        try {
            lj = jobs.load(id);
        } catch (HeraldException gone) {
            return;
        }
        synchronized (lj) {
            if (!lj.isRetired() && !lj.job().status().isTerminal()) {
                cancelled.add(cancelIn(group, lj, now));
            }
        }
    }

    /** Caller holds the job's monitor. */
    private static Job cancelIn(WriteGroup group, LiveJob lj, Instant now) {
        Job old = lj.job();
        Job next = Transitions.cancel(old, now);
        lj.set(next);
        group.add(lj, next, JobEvent.status(next, old.status()).within(lj.ancestors));
        return next;
    }
}
