package dev.herald.bus.redis;

import dev.herald.core.event.JobEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** What one subscription was told, in order: the versions it got and each word of lost events. */
final class Timeline implements Consumer<JobEvent> {
    static final String MISSED = "missed";

    private final List<String> entries = new ArrayList<>();

    @Override
    public synchronized void accept(JobEvent event) {
        entries.add("v" + event.version());
    }

    synchronized void missed() {
        entries.add(MISSED);
    }

    synchronized List<String> entries() {
        return List.copyOf(entries);
    }

    AutoCloseable on(RedisEventBus bus) {
        return bus.subscribe(this, this::missed);
    }
}
