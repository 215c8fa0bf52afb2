package dev.herald.core.engine;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.ChildrenSummary;
import dev.herald.core.model.Eta;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.rules.ChildTally;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps every parent's children summary up to date from its children's changes, by
 * events, never by polling. Changes are coalesced per child and applied every
 * {@link #TICK_MS}: a burst of 10 000 children finishing costs a few summary
 * updates, not 10 000. A parent's summary is counted once from the store when the
 * parent is first needed, then kept by increments; it is counted again only to
 * repair (after a restart, or a change that could not be applied). A parent whose
 * summary moves tells its own parent in turn, so a grandchild's progress reaches
 * the root.
 */
final class ChildrenAggregator {
    static final long TICK_MS = 50;
    private static final System.Logger LOG = System.getLogger(ChildrenAggregator.class.getName());

    private record Change(String parentId, String childId, long version, JobStatus status, double percent,
                          String type, Eta eta, boolean deleted) {
    }

    private final LiveJobs jobs;
    private final JobWrites writes;
    private final Estimates estimates;
    private final Clock clock;
    /** The newest unapplied change of each child. */
    private final ConcurrentHashMap<String, Change> pending = new ConcurrentHashMap<>();
    /** Parents whose children are to be counted afresh from the store. */
    private final Set<String> recounts = ConcurrentHashMap.newKeySet();
    /** Set while updates fail, so a store outage is logged once, not every tick. */
    private volatile boolean failing;

    ChildrenAggregator(LiveJobs jobs, JobWrites writes, Estimates estimates, Clock clock) {
        this.jobs = jobs;
        this.writes = writes;
        this.estimates = estimates;
        this.clock = clock;
    }

    void changed(Job child) {
        if (child.parentId() != null) {
            offer(new Change(child.parentId(), child.id(), child.version(), child.status(),
                    ChildTally.contribution(child), child.type(), child.eta(), false));
        }
    }

    void deleted(Job child) {
        if (child.parentId() != null) {
            offer(new Change(child.parentId(), child.id(), Long.MAX_VALUE, child.status(), 0, null, null, true));
        }
    }

    /** Counts the parent's children afresh at the next tick: after a restart, or when a change may be lost. */
    void recount(String parentId) {
        recounts.add(parentId);
    }

    private void offer(Change c) {
        pending.merge(c.childId(), c, (old, next) -> next.version() >= old.version() ? next : old);
    }

    void tick() {
        Map<String, List<Change>> byParent = new HashMap<>();
        for (Map.Entry<String, Change> e : pending.entrySet()) {
            if (pending.remove(e.getKey(), e.getValue())) {
                byParent.computeIfAbsent(e.getValue().parentId(), k -> new ArrayList<>()).add(e.getValue());
            }
        }
        Set<String> recounting = new HashSet<>();
        for (String parentId : recounts) {
            if (recounts.remove(parentId)) {
                recounting.add(parentId);
                byParent.computeIfAbsent(parentId, k -> new ArrayList<>());
            }
        }
        byParent.forEach((parentId, changes) -> {
            boolean recount = recounting.contains(parentId);
            try {
                apply(parentId, changes, recount);
                failing = false;
            } catch (RuntimeException e) {
                // one parent's trouble (the store, say) must not cost the others their updates: retried next tick
                retry(parentId, changes, recount);
                if (!failing) {
                    failing = true;
                    LOG.log(Level.WARNING, "a children summary could not be updated; trying again", e);
                }
            }
        });
    }

    private void retry(String parentId, List<Change> changes, boolean recount) {
        changes.forEach(this::offer);
        if (recount) {
            recount(parentId);
        }
    }

    private void apply(String parentId, List<Change> changes, boolean recount) {
        LiveJob parent;
        try {
            parent = jobs.load(parentId);
        } catch (HeraldException gone) {
            return;
        }
        boolean counted;
        long created;
        synchronized (parent) {
            counted = parent.tally != null;
            created = parent.childrenCreated;
        }
        // counting reads the store: done outside the monitor so the parent's commands never wait on it
        ChildTally fresh = counted && !recount ? null : count(parentId);
        synchronized (parent) {
            if (parent.isRetired()) {
                retry(parentId, changes, recount);
                return;
            }
            // a child that became durable while the store was read may be missing from the count until its own
            // change comes (next tick): the counts catch up then, but the parent must not finish on them now
            boolean settled = fresh == null || parent.childrenCreated == created;
            if (fresh != null) {
                parent.tally = fresh;
            }
            for (Change c : changes) {
                if (c.deleted()) {
                    parent.tally.remove(c.childId());
                } else {
                    parent.tally.see(c.childId(), c.version(), c.status(), c.percent(), c.type(), c.eta());
                }
            }
            update(parent, settled);
        }
    }

    /** Caller holds the parent's monitor. */
    private void update(LiveJob parent, boolean mayFinish) {
        Job old = parent.job();
        ChildTally tally = parent.tally;
        ChildrenSummary summary = tally.summary();
        boolean finishes = mayFinish && old.completeWithChildren() && !old.status().isTerminal()
                && tally.allFinished() && parent.childrenBeingCreated == 0;
        Instant now = clock.instant();
        // the parent's estimate moves with its children's (API §10)
        Job counted = estimates.estimated(parent, old.toBuilder().children(summary).build(), now.toEpochMilli());
        if (Objects.equals(summary, old.children()) && Objects.equals(counted.eta(), old.eta()) && !finishes) {
            return;
        }
        Job.Builder b = counted.toBuilder().updatedAt(now).version(old.version() + 1);
        if (finishes) {
            Job next = finish(b, old, tally.outcome(), now);
            parent.set(next);
            writes.submit(parent, next, JobEvent.status(next, old.status()).within(parent.ancestors), null)
                    .thenRun(() -> changed(next));
        } else {
            Job next = b.build();
            parent.set(next);
            writes.markDirty(parent);
            writes.publish(parent, JobEvent.children(next).within(parent.ancestors));
            changed(next);
        }
    }

    private static Job finish(Job.Builder b, Job old, JobStatus outcome, Instant now) {
        b.status(outcome).finishedAt(now).eta(null).startedAt(old.startedAt() != null ? old.startedAt() : now);
        if (outcome == JobStatus.COMPLETED) {
            b.progress(old.progress().withPercent(100));
        }
        return b.build();
    }

    /** A parent's children as the store and memory know them now; changes after this are applied on top. */
    private ChildTally count(String parentId) {
        ChildTally tally = new ChildTally();
        jobs.forEachChild(parentId, tally::see);
        return tally;
    }
}
