package dev.herald.core.port;

import dev.herald.core.event.JobEvent;

import java.util.function.Consumer;

/**
 * Carries published events to every listener. Listeners are called on the
 * publisher's thread and must not block.
 */
public interface EventBus extends AutoCloseable {

    void publish(JobEvent event);

    /** Registers a listener; closing the returned handle removes it. */
    AutoCloseable subscribe(Consumer<JobEvent> listener);

    @Override
    void close();
}
