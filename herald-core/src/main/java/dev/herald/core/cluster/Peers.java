package dev.herald.core.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The other nodes of the cluster, as a node forwards commands to them (docs/cluster.md §2.5). The receiving node
 * has authenticated and authorized the caller; the owner applies the command as its own, never forwarding it again.
 */
public interface Peers {
    /** Progress updates one request of {@link #progress} carries at most. */
    int PROGRESS_BATCH = 256;

    /**
     * Sends the command to the node at {@code address}. Fails with {@link Moved} when that node does not own the
     * job's tree, with {@link Unreachable} when the command could not be sent, with the owner's refusal otherwise.
     *
     * @param leaseToken the {@code Lease-Token} the command came with, or null
     */
    <T> CompletableFuture<T> forward(String address, Forward<T> command, String leaseToken);

    /**
     * Sends progress updates to the node at {@code address} as one request, applied there in the order given: one
     * outcome per update, in that order. Fails as a whole, as {@link #forward} does, only when the request was not
     * sent or got no answer. This default sends each update as its own forward.
     */
    default CompletableFuture<List<Outcome>> progress(String address, List<Update> updates) {
        List<CompletableFuture<Outcome>> each = new ArrayList<>(updates.size());
        for (Update u : updates) {
            each.add(forward(address, u.command(), u.leaseToken()).handle(Outcome::of));
        }
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                .thenApply(v -> each.stream().map(CompletableFuture::join).toList());
    }

    /** A forwarded progress update, with the {@code Lease-Token} it came with (or null). */
    record Update(Forward.Progress command, String leaseToken) { }

    /** The owner's answer to one update of a batch: its new version, or its refusal (then the version is -1). */
    record Outcome(long version, Throwable refusal) {

        public static Outcome applied(long version) {
            return new Outcome(version, null);
        }

        public static Outcome refused(Throwable refusal) {
            return new Outcome(-1, refusal);
        }

        static Outcome of(Long version, Throwable failure) {
            return failure == null ? applied(version) : refused(Router.cause(failure));
        }
    }

    /** The command was not sent (no connection): it was applied nowhere, and the owner is probably gone. */
    final class Unreachable extends RuntimeException {
        public Unreachable(String address, Throwable cause) {
            super("node " + address + " could not be reached", cause, false, false);
        }
    }
}
