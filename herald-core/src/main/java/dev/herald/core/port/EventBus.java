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
 *   <li>closing the bus ends every subscription.</li>
 * </ul>
 * A local bus calls listeners on the publisher's thread before {@code publish}
 * returns; a bus between nodes may call them later, on threads of its own. Either
 * way listeners must not block, and may be called by several threads at once.
 */
public interface EventBus extends AutoCloseable {

    void publish(JobEvent event);

    /** Registers a listener; closing the returned handle removes it. */
    AutoCloseable subscribe(Consumer<JobEvent> listener);

    @Override
    void close();
}
