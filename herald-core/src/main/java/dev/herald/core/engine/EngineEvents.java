package dev.herald.core.engine;

import dev.herald.core.cluster.EventOrder;
import dev.herald.core.event.JobEvent;
import dev.herald.core.port.EventBus;
import dev.herald.core.port.JobStore;

import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The engine's listeners and where their events come from. On a local bus, straight from it: nothing is added
 * per event. On a bus between nodes, through an {@link EventOrder} that puts every node's events in store order
 * and fills what the bus lost from the store (docs/cluster.md §4.3).
 */
final class EngineEvents implements AutoCloseable {
    private final EventBus bus;
    private final EventPublisher publisher;
    /** Null on a local bus. */
    private final EventOrder order;
    private final AutoCloseable ordering;

    private EngineEvents(EventBus bus, EventPublisher publisher, EventOrder order) {
        this.bus = bus;
        this.publisher = publisher;
        this.order = order;
        this.ordering = order == null ? () -> { } : bus.subscribe(order::accept, order::missed);
    }

    /** Subscribes before any event is published, from the position the publisher starts at (the store's head). */
    static EngineEvents start(EventBus bus, JobStore store, JobCache cache, EventPublisher publisher,
                              EngineOptions options) {
        if (!bus.betweenNodes()) {
            return new EngineEvents(bus, publisher, null);
        }
        EventOrder order = new EventOrder(new StoredEvents(store, cache), publisher.position(),
                EventOrder.Timing.of(options.flushInterval()), options.nodeMeters(),
                Executors.newSingleThreadScheduledExecutor(Daemons.named("herald-event-order")));
        return new EngineEvents(bus, publisher, order);
    }

    AutoCloseable subscribe(Consumer<JobEvent> listener, Runnable onMissed) {
        return order == null ? bus.subscribe(listener, onMissed) : order.subscribe(listener, onMissed);
    }

    /** Every retained event up to this position is in the listeners' hands. */
    long position() {
        return order == null ? publisher.position() : order.delivered();
    }

    @Override
    public void close() {
        try {
            ordering.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        if (order != null) {
            order.close();
        }
    }
}
