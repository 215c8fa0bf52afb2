package dev.herald.core.port;

import dev.herald.core.event.JobEvent;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The in-process bus of a single node. */
public final class LocalEventBus implements EventBus {
    private final CopyOnWriteArrayList<Consumer<JobEvent>> listeners = new CopyOnWriteArrayList<>();

    @Override
    public void publish(JobEvent event) {
        for (Consumer<JobEvent> l : listeners) {
            l.accept(event);
        }
    }

    @Override
    public AutoCloseable subscribe(Consumer<JobEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public void close() {
        listeners.clear();
    }
}
