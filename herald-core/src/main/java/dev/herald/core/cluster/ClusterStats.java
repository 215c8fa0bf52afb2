package dev.herald.core.cluster;

import java.util.Set;

/**
 * What a node's ownership counts, for its meters (docs/cluster.md §7).
 *
 * @param trees            the trees it holds now ({@code herald.cluster.trees})
 * @param cleanTakeovers   trees claimed that nobody held ({@code herald.cluster.takeovers{kind=clean}})
 * @param uncleanTakeovers trees taken from a node whose lease was gone ({@code kind=unclean})
 * @param fenced           trees dropped because the store named another owner ({@code herald.cluster.fenced})
 * @param leaseValid       whether the node's lease is current, so that it may act as an owner ({@code /health/ready})
 * @param duties           the duties whose locks it holds ({@code herald.cluster.duties}, 1 for each)
 */
public record ClusterStats(int trees, long cleanTakeovers, long uncleanTakeovers, long fenced, boolean leaseValid,
                           Set<String> duties) {
}
