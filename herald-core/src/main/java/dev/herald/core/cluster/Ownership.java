package dev.herald.core.cluster;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who owns each job tree (docs/cluster.md §2.4): a row per root naming one node, taken on first
 * touch, released when the tree goes idle, taken over when its node's lease is gone.
 */
public interface Ownership {

    /**
     * Claims the tree of this root for this node, in one statement: takes it when nobody owns it,
     * or when its owner's lease is gone (a takeover). Otherwise answers the live owner.
     */
    Claim claim(String rootId);

    /** Lets the tree go if this node owns it; answers whether it did. */
    boolean release(String rootId);

    /** The roots of the trees this node owns, as the store lists them. */
    Set<String> owned();

    /** Up to {@code limit} roots of trees whose owner's lease is gone: the adoption duty's work (§6). */
    List<String> orphaned(int limit);

    /** Deletes the rows of nodes whose lease is gone and that own no tree any more; answers how many. */
    int deleteDeadNodes();

    /**
     * The tree's unfinished jobs that have children, as stored: after a takeover their summaries are counted
     * again, since the old owner may have died before a child's end reached its parent (§5).
     */
    List<String> unfinishedParents(String rootId);

    /**
     * The live other node that owns this job's tree, as stored, without claiming it: empty when this node owns it,
     * nobody does, or its owner is gone. Read before asking that node for its newest state of the job (§2.5).
     */
    Optional<Owner> liveOwnerOf(String jobId);

    /**
     * {@link #liveOwnerOf} for jobs of any trees in one read (a listing's, a project's): by job id, only the jobs
     * whose tree a live other node owns.
     */
    Map<String, Owner> liveOwnersOf(Collection<String> jobIds);

    /** Another node that owns a tree, and where it is reached. */
    record Owner(String root, String address) {
    }

    /**
     * A claim's answer.
     *
     * @param owner     the node that owns the tree now
     * @param address   where to reach the owner when it is another node ({@code --cluster-address}); null when mine
     * @param mine      whether this node owns it
     * @param takenOver whether this node owns it by taking it from a node that did not release it
     *                  (at this claim or earlier): its jobs' stored versions may lag what that node gave out
     */
    record Claim(String owner, String address, boolean mine, boolean takenOver) {
    }
}
