package dev.herald.core.engine;

import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.port.JobStore;
import dev.herald.core.rules.Transitions;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * Ends leases that ran out (API §9): the job goes back to the queue while attempts remain, else fails with
 * {@code lease_expired}, each a durable change with its {@code status} event. Candidates are the jobs in
 * memory and those the store lists as expired (leased before a restart, or evicted); the decision is made
 * from the job's newest state under its monitor, since a write may have extended the lease since the
 * store last saw it. Expiry is the engine clock's say. In a cluster every node sweeps the jobs in its memory (their
 * trees are its own) and only the holder of the lease-expiry duty those the store lists, which loading claims
 * (docs/cluster.md §6): a tree a live node owns is in that node's memory, and its sweep.
 */
final class LeaseWatch {
    static final Duration PERIOD = Duration.ofSeconds(1);
    private static final System.Logger LOG = System.getLogger(LeaseWatch.class.getName());
    private static final int STORED_PER_SWEEP = 500;

    private final JobStore store;
    private final JobCache cache;
    private final JobCommands commands;
    private final Clock clock;
    private final BooleanSupplier sweepsStore;

    /** @param sweepsStore whether this sweep also takes the store's expired leases: alone always */
    LeaseWatch(JobStore store, JobCache cache, JobCommands commands, Clock clock, BooleanSupplier sweepsStore) {
        this.store = store;
        this.cache = cache;
        this.commands = commands;
        this.clock = clock;
        this.sweepsStore = sweepsStore;
    }

    void sweep() {
        Instant now = clock.instant();
        Set<String> due = new LinkedHashSet<>();
        cache.forEachLive(lj -> {
            if (isExpired(lj.job(), now)) {
                due.add(lj.id);
            }
        });
        if (sweepsStore.getAsBoolean()) {
            due.addAll(store.expiredLeases(now, STORED_PER_SWEEP));
        }
        for (String id : due) {
            commands.withLive(id, this::expire).whenComplete((job, failure) -> {
                if (failure != null) {
                    LOG.log(Level.DEBUG, "the lease of " + id + " could not be ended; will try again", failure);
                }
            });
        }
    }

    /** Caller holds the job's monitor. */
    private CompletableFuture<Job> expire(LiveJob lj) {
        Job job = lj.job();
        Instant now = clock.instant();
        if (!isExpired(job, now)) {
            return CompletableFuture.completedFuture(job);
        }
        return commands.changed(lj, Transitions.leaseExpired(job, now));
    }

    private static boolean isExpired(Job job, Instant now) {
        return job.status() == JobStatus.RUNNING && job.lease() != null && job.lease().isExpiredAt(now);
    }
}
