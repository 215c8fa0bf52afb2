package dev.herald.core.engine;

import dev.herald.core.cluster.NodeLease;
import dev.herald.core.event.JobEvent;
import dev.herald.core.port.EventBus;

import java.lang.System.Logger.Level;

/**
 * Hands events to the bus in stream order. A retained event goes out once it is
 * committed, and only then may the next one claim a position; every other event
 * carries the position of the last retained event published before it. So a reader
 * that has seen an event at position P has seen every retained event up to P.
 */
final class EventPublisher {
    private static final System.Logger LOG = System.getLogger(EventPublisher.class.getName());

    private final EventBus bus;
    /** This node's lease in a cluster, else null. */
    private final NodeLease lease;
    private volatile long position;

    /**
     * @param position the position of the newest event the store holds
     * @param lease    this node's lease in a cluster, else null
     */
    EventPublisher(EventBus bus, long position, NodeLease lease) {
        this.bus = bus;
        this.position = position;
        this.lease = lease;
    }

    /** Position of the newest retained event published; every retained event up to it is in subscribers' hands. */
    long position() {
        return position;
    }

    /**
     * Publishes an event that is not retained and waits for nothing; a listener's failure is the caller's. A node
     * whose lease lapsed publishes none: another node may own the job now, and its versions are the ones to keep
     * (docs/cluster.md §8.8). A committed event was fenced, so it goes out whatever the lease says.
     */
    void publishNow(JobEvent event) {
        if (lease != null && !lease.isValid()) {
            return;
        }
        bus.publish(event.at(position));
    }

    /**
     * Publishes a committed event, retained ones already positioned; only the store writer calls it, in order (and
     * {@link VersionRecovery}, before the writer starts).
     */
    void publishCommitted(JobEvent event) {
        boolean retained = event.type().isRetained();
        try {
            bus.publish(retained ? event : event.at(position));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "an event listener failed", e);
        }
        if (retained) {
            // only after subscribers hold the event may another event claim its position
            position = event.position();
        }
    }
}
