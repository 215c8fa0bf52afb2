package dev.herald.core.cluster;

/**
 * A {@link NodeLease.Listener} made before what it tells exists: a node joins its cluster (and takes its
 * lease) before its engine starts, and the engine is what reconciles its trees when the lease comes back.
 */
public final class LeaseRelay implements NodeLease.Listener {
    private volatile NodeLease.Listener target = NodeLease.Listener.NONE;

    /** From now on every loss and regain is told to {@code listener}. */
    public void to(NodeLease.Listener listener) {
        target = listener;
    }

    @Override
    public void lost() {
        target.lost();
    }

    @Override
    public void regained() {
        target.regained();
    }
}
