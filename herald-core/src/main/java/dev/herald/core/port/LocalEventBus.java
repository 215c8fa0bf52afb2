package dev.herald.core.port;

import dev.herald.core.event.JobEvent;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The in-process bus of a single node: listeners run on the publisher's thread, before {@code publish} returns. */
public final class LocalEventBus implements EventBus {
    private static final System.Logger LOG = System.getLogger(LocalEventBus.class.getName());

    private final CopyOnWriteArrayList<Subscription> subscriptions = new CopyOnWriteArrayList<>();

    @Override
    public void publish(JobEvent event) {
        for (Subscription s : subscriptions) {
            s.deliver(event);
        }
    }

    @Override
    public AutoCloseable subscribe(Consumer<JobEvent> listener) {
        Subscription s = new Subscription(listener);
        subscriptions.add(s);
        return s;
    }

    @Override
    public void close() {
        subscriptions.forEach(Subscription::close);
    }

    /**
     * One {@code subscribe}. Removed by identity, so closing it twice cannot remove
     * another subscription of the same listener.
     */
    private final class Subscription implements AutoCloseable {
        private final Consumer<JobEvent> listener;
        /** A publish that took its snapshot of the list before close must still skip it. */
        private volatile boolean closed;

        Subscription(Consumer<JobEvent> listener) {
            this.listener = listener;
        }

        void deliver(JobEvent event) {
            if (closed) {
                return;
            }
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                // the publisher is the engine, often answering a request: a listener's failure is the listener's alone
                LOG.log(System.Logger.Level.WARNING, "an event listener failed on the " + event.type().wire()
                        + " event of job " + event.jobId(), e);
            }
        }

        @Override
        public void close() {
            closed = true;
            subscriptions.remove(this);
        }
    }
}
