package dev.herald.core.engine;

import dev.herald.core.cluster.ClusterNode;
import dev.herald.core.cluster.ClusterStats;
import dev.herald.core.cluster.NodeLease;
import dev.herald.core.cluster.OwnedTrees;

import java.util.List;

/**
 * The engine as the owner of job trees on a node of a cluster (docs/cluster.md §2.4): it drops the trees the store
 * gave to other nodes when its lease comes back, and lets its trees go at a stop that wrote everything.
 */
final class TreeOwner {
    private static final System.Logger LOG = System.getLogger(TreeOwner.class.getName());

    private final OwnedTrees trees;
    private final JobCache cache;
    private final WriteQueue writes;

    TreeOwner(ClusterNode node, OwnedTrees trees, JobCache cache, WriteQueue writes) {
        this.trees = trees;
        this.cache = cache;
        this.writes = writes;
        node.relay().to(NodeLease.Listener.onRegained(this::reconcile));
    }

    /** After a lost lease, drops the trees in memory the store no longer lists as this node's. */
    private void reconcile() {
        List<String> lost = cache.treesNotOwned(); // blocks: a store read
        cache.dropTrees(lost).forEach(writes::forgetDirty);
    }

    ClusterStats stats() {
        return trees.stats();
    }

    /**
     * The engine stopped. When it wrote every change and every version it gave out, the store holds the newest of
     * each, so its trees are released and the next claim of each is clean. Otherwise their rows stay: the next claim
     * is a takeover, with the gap.
     */
    void stopped(boolean wroteAll) {
        if (!wroteAll) {
            LOG.log(System.Logger.Level.WARNING, "some changes were not written at the stop: this node's trees are "
                    + "left to be taken over");
            return;
        }
        try {
            trees.releaseAll();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "this node's trees could not be released; they will be taken over", e);
        }
    }
}
