package dev.herald.bus.redis;

/**
 * What a node's bus has done since it started, for meters (docs/cluster.md §7).
 *
 * @param published       events Redis took from this node
 * @param publishFailures events this node could not hand to Redis (the others see a hole in its sequence)
 * @param received        events of other nodes heard, whether delivered to this node's listeners or unread
 * @param unread          of those, events not retained (progress, children, deletions) of jobs no reader here watches,
 *                        dropped unread
 * @param dropped         messages on the channel that were no event of a node (foreign or broken), ignored
 * @param gaps            holes seen in another node's sequence, each told to the listeners as missed events
 * @param reconnects      connections to Redis made again after a loss
 */
public record BusStats(long published, long publishFailures, long received, long unread, long dropped, long gaps,
                       long reconnects) {
}
