package dev.herald.testkit;

import dev.herald.core.event.JobEvent;
import org.awaitility.core.ConditionFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.awaitility.Awaitility.await;

/**
 * A bus subscriber that keeps what it is given, and counts the times it was told of
 * lost events (subscribe it with {@code bus.subscribe(inbox, inbox::missed)}). A bus may deliver on threads of
 * its own, several at once, and after {@code publish} has returned, so the inbox
 * is thread-safe and a test waits for what it expects rather than looking once.
 */
public final class EventInbox implements Consumer<JobEvent> {
    private final Duration timeout;
    private final List<JobEvent> events = new ArrayList<>();
    private int missed;

    /** @param timeout how long a wait may take before the test fails */
    public EventInbox(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public synchronized void accept(JobEvent event) {
        events.add(event);
    }

    /** The subscription's {@code onMissed}. */
    public synchronized void missed() {
        missed++;
    }

    /** How often the bus said events may have been lost. */
    public synchronized int timesMissed() {
        return missed;
    }

    /** Waits until the bus has said at least once that events may have been lost. */
    public void awaitMissed() {
        waitFor("word of lost events").until(() -> timesMissed() > 0);
    }

    /** Every event received so far, in the order received. */
    public synchronized List<JobEvent> events() {
        return List.copyOf(events);
    }

    /** The events of one job received so far, in the order received. */
    public List<JobEvent> of(String jobId) {
        return events().stream().filter(e -> e.jobId().equals(jobId)).toList();
    }

    /** Waits until this event has been received, and returns every event received by then. */
    public List<JobEvent> awaitReceived(JobEvent event) {
        waitFor("delivery of " + event.type().wire() + " v" + event.version() + " of job " + event.jobId())
                .until(() -> events().contains(event));
        return events();
    }

    /** Waits until at least {@code count} events have been received, and returns them all. */
    public List<JobEvent> awaitCount(int count) {
        waitFor("delivery of " + count + " events").until(() -> events().size() >= count);
        return events();
    }

    /** Looks at once and then often: a local bus has delivered before the wait begins. */
    private ConditionFactory waitFor(String what) {
        return await(what).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).atMost(timeout);
    }
}
