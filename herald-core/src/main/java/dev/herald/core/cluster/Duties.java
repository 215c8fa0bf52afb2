package dev.herald.core.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The periodic work one node of a cluster does for all of them (docs/cluster.md §6), each duty on the node that
 * holds its lock. Every node tries for the locks it lacks every {@link #TRY_EVERY}; a lost lease loses them all,
 * and a regained one tries again at once. Correctness never rests on the locks: a duty acts through each tree's
 * owner, so two holders for a moment cost duplicate reads.
 */
public final class Duties implements NodeLease.Listener {
    public static final Duration TRY_EVERY = Duration.ofSeconds(2);
    public static final String RETENTION = "retention";
    public static final String ADOPTION = "adoption";
    public static final String LEASE_EXPIRY = "lease-expiry";
    /** Every duty, as the meter {@code herald.cluster.duties} names them. */
    public static final List<String> NAMES = List.of(RETENTION, ADOPTION, LEASE_EXPIRY);

    private final NodeLease lease;
    private final DutyLocks locks;
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    /** Losses of the lease so far: a lock taken on a session that was lost meanwhile is not held. */
    private final AtomicLong losses = new AtomicLong();

    public Duties(NodeLease lease, DutyLocks locks) {
        this.lease = lease;
        this.locks = locks;
    }

    /** Tries for the locks this node lacks, while its lease is valid. */
    public synchronized void tryLocks() {
        for (String duty : NAMES) {
            long before = losses.get();
            if (lease.isValid() && !held.contains(duty) && locks.tryLock(duty)) {
                held.add(duty);
                if (losses.get() != before) {
                    held.remove(duty);
                }
            }
        }
    }

    /** Whether this node is to do the duty now: it holds the lock and may act. */
    public boolean mine(String duty) {
        return held.contains(duty) && lease.isValid();
    }

    /** Runs the duty if it is this node's ({@link #mine}). */
    public void run(String duty, Runnable task) {
        if (mine(duty)) {
            task.run();
        }
    }

    /** The duties whose locks this node holds. */
    public Set<String> held() {
        return Set.copyOf(held);
    }

    /** The lease's session ended, and the locks with it. */
    @Override
    public void lost() {
        losses.incrementAndGet();
        held.clear();
    }

    @Override
    public void regained() {
        tryLocks();
    }
}
