package dev.herald.core.cluster;

import java.util.concurrent.CompletableFuture;

/**
 * The other nodes of the cluster, as a node forwards commands to them (docs/cluster.md §2.5). The receiving node
 * has authenticated and authorized the caller; the owner applies the command as its own, never forwarding it again.
 */
public interface Peers {

    /**
     * Sends the command to the node at {@code address}. Fails with {@link Moved} when that node does not own the
     * job's tree, with {@link Unreachable} when the command could not be sent, with the owner's refusal otherwise.
     *
     * @param leaseToken the {@code Lease-Token} the command came with, or null
     */
    <T> CompletableFuture<T> forward(String address, Forward<T> command, String leaseToken);

    /** The command was not sent (no connection): it was applied nowhere, and the owner is probably gone. */
    final class Unreachable extends RuntimeException {
        public Unreachable(String address, Throwable cause) {
            super("node " + address + " could not be reached", cause, false, false);
        }
    }
}
