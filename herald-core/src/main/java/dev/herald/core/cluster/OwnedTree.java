package dev.herald.core.cluster;

import java.util.concurrent.atomic.AtomicBoolean;

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
    /** Set by the first job of a tree taken over, which stores the tree's unfinished jobs at the gap. */
    private final AtomicBoolean gapTaken = new AtomicBoolean();
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

    /** True once for a tree taken over: its unfinished jobs are then to be stored again at the gap (§2.6). */
    public boolean gapToStore() {
        return takenOver && gapTaken.compareAndSet(false, true);
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
