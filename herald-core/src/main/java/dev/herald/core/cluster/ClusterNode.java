package dev.herald.core.cluster;

/**
 * What the engine needs to run as one node of a cluster (docs/cluster.md §2): its lease, the ownership of
 * trees and a relay on which it hears when the lease comes back. Without one the engine runs embedded.
 */
public record ClusterNode(NodeLease lease, Ownership ownership, LeaseRelay relay) {
}
