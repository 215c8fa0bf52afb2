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
 * lock. Made before the cache (which holds the trees) and started once the rest of the engine is.
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
    void start(JobCache cache, WriteQueue writes, ChildrenAggregator children, Retention retention,
               Maintenance maintenance, Duration retentionSweep, Function<String, CompletableFuture<Void>> expire) {
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
        Adoption adoption = new Adoption(node.ownership(), cache, writes);
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

    /** After a lost lease, drops the trees in memory the store no longer lists as this node's; answers their roots. */
    List<String> reconcile(JobCache cache, WriteQueue writes) {
        List<String> lost = trees.notOwned(); // blocks: a store read
        cache.dropTrees(lost).forEach(writes::forgetDirty);
        return lost;
    }

    ClusterStats stats() {
        return trees.stats(duties.held());
    }
}
