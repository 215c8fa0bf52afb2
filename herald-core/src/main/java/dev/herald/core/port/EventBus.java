package dev.herald.core.port;

import dev.herald.core.event.JobEvent;

import java.util.function.Consumer;

/**
 * Carries published events to every listener (EventBusContract in herald-testkit
 * checks each promise):
 * <ul>
 *   <li>a listener gets every event published after {@code subscribe} returns, and
 *       no earlier one; each job's events in the order they were published, even
 *       when several threads publish (the caller orders a job's publishes);</li>
 *   <li>each {@code subscribe} is a subscription of its own, even for the same
 *       listener; closing its handle, once or more, also from within the listener,
 *       stops delivery to that subscription alone;</li>
 *   <li>a listener that throws affects neither the publisher, nor other listeners,
 *       nor its own later deliveries;</li>
 *   <li>a bus that may lose events says so: it calls the subscription's
 *       {@code onMissed} whenever some may have been lost since its last delivery,
 *       and events published after that arrive again as before;</li>
 *   <li>closing the bus ends every subscription.</li>
 * </ul>
 * A local bus calls listeners on the publisher's thread before {@code publish}
 * returns, and never loses an event. A bus between nodes delivers its own node's
 * events the same way, and other nodes' later, on threads of its own; an event
 * published on another node while its connection was down is lost, and
 * {@code onMissed} says so. Either way listeners must not block, and may be called
 * by several threads at once.
 */
public interface EventBus extends AutoCloseable {

    void publish(JobEvent event);

    /** Registers a listener that needs no word of lost events; closing the returned handle removes it. */
    default AutoCloseable subscribe(Consumer<JobEvent> listener) {
        return subscribe(listener, () -> {
        });
    }

    /**
     * Registers a listener; closing the returned handle removes it. {@code onMissed}
     * runs when events for it may have been lost (a dropped connection, a hole in
     * another node's publishes): the subscriber then recovers what it needs from
     * the store. It runs in line with the deliveries of other nodes' events: after
     * those that came before the loss was found, before those after. It never runs
     * once the handle is closed.
     */
    AutoCloseable subscribe(Consumer<JobEvent> listener, Runnable onMissed);

    /**
     * Whether other nodes publish on this bus too: then their events arrive in no order with this node's, and may
     * be lost, so the engine puts every event through an {@code EventOrder} (docs/cluster.md §4.3). A local bus
     * answers false and its events go to the engine's listeners as they are published.
     */
    default boolean betweenNodes() {
        return false;
    }

    /**
     * Which jobs this node's readers watch. Of another node's events, one that is not retained (progress, children,
     * a deletion) reaches only readers, so a bus between nodes may drop it unread when nobody here watches its job:
     * a reader who starts watching later is given the job's newest state anyway (docs/cluster.md §4.6). Retained
     * events are always delivered. A local bus, whose events are this node's own, ignores it.
     */
    default void watchedBy(Watched watched) {
    }

    /** Whether the bus reaches the other nodes now ({@code /health/ready}'s {@code bus}); one in process always does. */
    default boolean connected() {
        return true;
    }

    @Override
    void close();
}
