package dev.herald.core.cluster;

/**
 * This node's hold on its place in a cluster (docs/cluster.md §2.3): while it is valid the node
 * may act as the owner of the trees {@link Ownership} lists as its own. It self-fences: it turns
 * invalid a few seconds after the last ping the database answered was sent, before another node
 * can take its trees over, and at once when a ping fails.
 */
public interface NodeLease extends AutoCloseable {

    /** This node's id: random per process start, never reused, so it is itself the fencing token. */
    String nodeId();

    /** Whether the node may act as owner now; one volatile read, for every owned command. */
    boolean isValid();

    /** Ends the lease: another node may take this node's trees at once. */
    @Override
    void close();

    /** Told when the lease is lost and when it is held again; called on the lease's own thread. */
    interface Listener {
        Listener NONE = new Listener() {
        };

        /** A ping failed or the connection went: the node is no longer valid. */
        default void lost() {
        }

        /**
         * The lease is held again after a loss. Trees may have been taken over meanwhile: the node
         * keeps only those {@link Ownership#owned()} still lists (reconcile).
         */
        default void regained() {
        }
    }
}
