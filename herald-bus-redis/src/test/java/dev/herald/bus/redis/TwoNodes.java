package dev.herald.bus.redis;

import dev.herald.core.event.JobEvent;
import dev.herald.core.port.EventBus;

import java.util.function.Consumer;

/** Two nodes of one cluster seen as one bus: what is published on the first is listened to on the second. */
record TwoNodes(RedisEventBus publishing, RedisEventBus listening) implements EventBus {

    @Override
    public void publish(JobEvent event) {
        publishing.publish(event);
    }

    @Override
    public AutoCloseable subscribe(Consumer<JobEvent> listener, Runnable onMissed) {
        return listening.subscribe(listener, onMissed);
    }

    @Override
    public void close() {
        publishing.close();
        listening.close();
    }
}
