package dev.herald.core.port;

import dev.herald.core.event.JobEvent;

import java.util.function.Consumer;

/**
 * The in-process bus of a single node: listeners run on the publisher's thread, before
 * {@code publish} returns. It loses nothing, so it never calls a subscription's {@code onMissed}.
 */
public final class LocalEventBus implements EventBus {
    private final Subscriptions subscriptions = new Subscriptions();

    @Override
    public void publish(JobEvent event) {
        subscriptions.deliver(event);
    }

    @Override
    public AutoCloseable subscribe(Consumer<JobEvent> listener, Runnable onMissed) {
        return subscriptions.add(listener, onMissed);
    }

    @Override
    public void close() {
        subscriptions.closeAll();
    }
}
