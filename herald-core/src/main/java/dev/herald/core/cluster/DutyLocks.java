package dev.herald.core.cluster;

/**
 * The locks of a cluster's periodic duties (docs/cluster.md §6): each held by one node at a time, on the same
 * session as its lease, so a node that loses its lease loses its duties with it.
 */
public interface DutyLocks {

    /** Takes the duty's lock if it is free; answers whether this node holds it now. Never throws. */
    boolean tryLock(String duty);
}
