package dev.herald.core.port;

import dev.herald.core.event.JobEvent;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The listeners of one bus, and what every bus promises them alike: a listener's
 * failure stays its own, and a closed subscription gets nothing more.
 */
public final class Subscriptions {
    private static final System.Logger LOG = System.getLogger(Subscriptions.class.getName());

    private final CopyOnWriteArrayList<Subscription> subscriptions = new CopyOnWriteArrayList<>();

    public AutoCloseable add(Consumer<JobEvent> listener, Runnable onMissed) {
        Subscription s = new Subscription(listener, onMissed);
        subscriptions.add(s);
        return s;
    }

    /** Calls every listener with the event on this thread. */
    public void deliver(JobEvent event) {
        for (Subscription s : subscriptions) {
            s.deliver(event);
        }
    }

    /** Tells every subscription that events may have been lost. */
    public void missed() {
        for (Subscription s : subscriptions) {
            s.missed();
        }
    }

    public void closeAll() {
        subscriptions.forEach(Subscription::close);
    }

    /**
     * One {@code subscribe}. Removed by identity, so closing it twice cannot remove
     * another subscription of the same listener.
     */
    private final class Subscription implements AutoCloseable {
        private final Consumer<JobEvent> listener;
        private final Runnable onMissed;
        /** A delivery that took its snapshot of the list before close must still skip it. */
        private volatile boolean closed;

        Subscription(Consumer<JobEvent> listener, Runnable onMissed) {
            this.listener = listener;
            this.onMissed = onMissed;
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

        void missed() {
            if (closed) {
                return;
            }
            try {
                onMissed.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "an event listener failed when told of lost events", e);
            }
        }

        @Override
        public void close() {
            closed = true;
            subscriptions.remove(this);
        }
    }
}
