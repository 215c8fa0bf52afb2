package dev.herald.core.cluster;

/**
 * What the engine needs to run as one node of a cluster (docs/cluster.md §2): its lease, the ownership of
 * trees, a relay on which it hears when the lease comes back, the locks of its duties (§6), and where it reads
 * placements and reaches the other nodes. Without one the engine runs embedded.
 *
 * @param placements where a job's placement is read; null with {@code peers}
 * @param peers      the other nodes, to which commands on their trees are forwarded; null refuses those commands
 *                   (503) instead
 */
public record ClusterNode(NodeLease lease, Ownership ownership, LeaseRelay relay, DutyLocks duties,
                          Placements.Source placements, Peers peers) {

    /** A node that forwards nothing. */
    public ClusterNode(NodeLease lease, Ownership ownership, LeaseRelay relay, DutyLocks duties) {
        this(lease, ownership, relay, duties, null, null);
    }
}
