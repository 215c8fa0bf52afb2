package dev.herald.core.engine;

import dev.herald.core.cluster.ClusterNode;
import dev.herald.core.cluster.ClusterStats;
import dev.herald.core.cluster.Duties;
import dev.herald.core.cluster.NodeLease;
import dev.herald.core.cluster.OwnedTrees;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The engine's parts as one node of a cluster (docs/cluster.md §2, §5, §6): the trees it owns, the recount of a
 * tree taken over, what it does when its lease comes back, and its duties, each run on the node that holds its
 * lock; at a stop that wrote everything it lets its trees go. Made before the cache (which holds the trees) and
 * started once the rest of the engine is.
 */
final class ClusterWiring {
    private static final System.Logger LOG = System.getLogger(ClusterWiring.class.getName());

    private final ClusterNode node;
    private final OwnedTrees trees;
    private final Duties duties;

    ClusterWiring(ClusterNode node) {
        this.node = node;
        this.trees = new OwnedTrees(node.lease(), node.ownership());
        this.duties = new Duties(node.lease(), node.duties());
    }

    OwnedTrees trees() {
        return trees;
    }

    /** Whether the lease watch takes the store's expired leases now: on the lease-expiry duty's holder. */
    BooleanSupplier sweepsStoredLeases() {
        return () -> duties.mine(Duties.LEASE_EXPIRY);
    }

    /**
     * @param expire retention's deletion of one job, on the owner of its tree ({@link LeasedWrites#expire})
     */
    void start(JobCache cache, WriteQueue writes, ChildrenAggregator children, TakeoverGap gap, Retention retention,
               Maintenance maintenance, Duration retentionSweep, Function<String, CompletableFuture<Boolean>> expire) {
        trees.onTakeover(root -> recountParents(root, children));
        node.relay().to(new NodeLease.Listener() {
            @Override
            public void lost() {
                duties.lost();
            }

            @Override
            public void regained() {
                reconcile(cache, writes);
                duties.regained();
            }
        });
        Adoption adoption = new Adoption(node.ownership(), cache, writes, gap);
        maintenance.every(Duties.TRY_EVERY, duties::tryLocks);
        maintenance.every(Duties.TRY_EVERY, () -> duties.run(Duties.ADOPTION, adoption::run));
        maintenance.every(retentionSweep, () -> duties.run(Duties.RETENTION,
                () -> retention.deleteExpiredByOwners(expire)));
    }

    /** The tree was taken from a node that may have died before a child's end reached its parent. */
    private void recountParents(String root, ChildrenAggregator children) {
        try {
            node.ownership().unfinishedParents(root).forEach(children::recount);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the parents of tree " + root + " taken over could not be listed; "
                    + "their summaries catch up at their children's next changes", e);
        }
    }

    /** After a lost lease, drops the trees in memory the store no longer lists as this node's. */
    private void reconcile(JobCache cache, WriteQueue writes) {
        List<String> lost = trees.notOwned(); // blocks: a store read
        cache.dropTrees(lost).forEach(writes::forgetDirty);
    }

    /**
     * The engine stopped. When it wrote every change and every version it gave out, the store holds the newest of
     * each, so its trees are released and the next claim of each is clean. Otherwise their rows stay: the next claim
     * is a takeover, with the gap.
     */
    void stopped(boolean wroteAll) {
        if (!wroteAll) {
            LOG.log(Level.WARNING, "some changes were not written at the stop: this node's trees are left to be "
                    + "taken over");
            return;
        }
        try {
            trees.releaseAll();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "this node's trees could not be released; they will be taken over", e);
        }
    }

    ClusterStats stats() {
        return trees.stats(duties.held());
    }
}
