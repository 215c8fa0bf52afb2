package dev.herald.core.cluster;

/**
 * One job tree this node owns, as its jobs in memory hold it (docs/cluster.md §2.4). Every write of
 * the tree's jobs is fenced on its root; a tree this node created is claimed instead, in its
 * creation's transaction, until that commits.
 */
public final class OwnedTree {
    private final String root;
    private final boolean takenOver;
    /** Whether the store lists the tree as this node's; false for a new root until its creation commits. */
    private volatile boolean inStore;
    /** Set once the node has let the tree go (released, or fenced out); a write of it is refused from then on. */
    private volatile boolean gone;
    /** Jobs of the tree in memory; guarded by the {@link OwnedTrees} that holds it. */
    int jobs;

    OwnedTree(String root, boolean takenOver, boolean inStore) {
        this.root = root;
        this.takenOver = takenOver;
        this.inStore = inStore;
    }

    public String root() {
        return root;
    }

    /**
     * Taken from a node that did not release it: the stored versions of its unfinished jobs and finished parents
     * may lag what that node gave out, so they continue at the gap when loaded (§2.6).
     */
    public boolean takenOver() {
        return takenOver;
    }

    /** Whether a write claims the tree (its creation not yet committed) rather than fencing it. */
    public boolean claims() {
        return !inStore;
    }

    /** A batch that claimed the tree committed. */
    public void stored() {
        inStore = true;
    }

    public boolean isGone() {
        return gone;
    }

    void let() {
        gone = true;
    }
}
