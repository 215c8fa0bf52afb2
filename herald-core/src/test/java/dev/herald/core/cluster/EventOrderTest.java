package dev.herald.core.cluster;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLevel;
import dev.herald.core.model.LogLine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Events of several nodes, arriving in any order or not at all, leave in store order: what the bus
 * brings late waits, what it never brings is read from the store.
 */
class EventOrderTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    /** Long enough that nothing is read from the store while a test hands events in. */
    private static final Duration LONG = Duration.ofMinutes(5);

    private final Store store = new Store();
    private final BlockingQueue<String> seen = new LinkedBlockingQueue<>();
    private EventOrder order;

    @AfterEach
    void close() {
        if (order != null) {
            order.close();
        }
    }

    @Test
    void retainedEventsLeaveByPositionWhateverOrderTheyCameIn() throws Exception {
        start(0, new EventOrder.Timing(LONG, LONG, LONG));
        order.accept(log("a", 3));
        order.accept(log("b", 2));
        assertThat(seen).isEmpty();

        order.accept(log("a", 1));

        assertThat(next(3)).containsExactly("log a@1", "log b@2", "log a@3");
        assertThat(order.delivered()).isEqualTo(3);
        assertThat(order.caughtUp()).isZero();
    }

    @Test
    void anEventWaitsForThePositionItRequiresAndCarriesWhatWasDelivered() throws Exception {
        start(0, new EventOrder.Timing(LONG, LONG, LONG));
        order.accept(progress("a", 2, 5));
        order.accept(log("b", 1));
        assertThat(next(1)).containsExactly("log b@1");

        order.accept(log("a", 2));
        order.accept(progress("a", 2, 6));

        assertThat(next(3)).containsExactly("log a@2", "progress a v5@2", "progress a v6@2");
    }

    @Test
    void whatTheBusNeverBringsIsReadFromTheStoreInItsPlace() throws Exception {
        start(0, new EventOrder.Timing(Duration.ofMillis(20), LONG, LONG));
        store.add(log("a", 1), log("b", 2), log("a", 3));
        order.accept(log("a", 1));
        order.accept(progress("b", 2, 9));
        order.accept(log("a", 3));

        assertThat(next(4)).containsExactly("log a@1", "log b@2", "progress b v9@2", "log a@3");
        assertThat(order.caughtUp()).isEqualTo(1);
    }

    @Test
    void positionsDeletedWithTheirJobsAreNotAwaited() throws Exception {
        start(0, new EventOrder.Timing(Duration.ofMillis(20), LONG, LONG));
        store.add(log("a", 1), log("a", 4));
        order.accept(log("a", 4));
        order.accept(progress("a", 4, 2));

        assertThat(next(3)).containsExactly("log a@1", "log a@4", "progress a v2@4");
        assertThat(order.delivered()).isEqualTo(4);
    }

    @Test
    void theCounterIsReadWhenNothingArrivesAtAll() throws Exception {
        start(0, new EventOrder.Timing(LONG, Duration.ofMillis(10), LONG));
        store.add(log("a", 1), log("b", 2));

        assertThat(next(2)).containsExactly("log a@1", "log b@2");
    }

    @Test
    void eventsBeforeTheStartAreTheStoresToReplay() throws Exception {
        store.add(log("a", 1), log("a", 2));
        start(2, new EventOrder.Timing(LONG, LONG, LONG));
        order.accept(log("a", 2));
        order.accept(progress("a", 2, 3));
        order.accept(log("a", 3));

        assertThat(next(2)).containsExactly("progress a v3@2", "log a@3");
    }

    @Test
    void afterLostEventsTheStoreIsReadThenTheListenersAreTold() throws Exception {
        start(0, new EventOrder.Timing(LONG, LONG, Duration.ofMillis(10)));
        AtomicInteger told = new AtomicInteger();
        order.subscribe(e -> { }, () -> seen.add("missed " + told.incrementAndGet()));
        store.add(log("a", 1));

        order.missed();

        assertThat(next(2)).containsExactly("log a@1", "missed 1");
        assertThat(order.resyncs()).isEqualTo(1);
    }

    @Test
    void aClosedSubscriptionHearsNothingMore() throws Exception {
        start(0, new EventOrder.Timing(LONG, LONG, LONG));
        List<JobEvent> other = new ArrayList<>();
        AutoCloseable s = order.subscribe(other::add, () -> { });
        order.accept(log("a", 1));
        s.close();
        order.accept(log("a", 2));

        assertThat(next(2)).containsExactly("log a@1", "log a@2");
        assertThat(other).extracting(JobEvent::position).containsExactly(1L);
    }

    private void start(long delivered, EventOrder.Timing timing) {
        order = new EventOrder(store, delivered, timing, NodeMeters.NONE, Executors.newSingleThreadScheduledExecutor());
        order.subscribe(e -> seen.add(e.type().wire() + " " + e.jobId()
                + (e.type().isRetained() ? "" : " v" + e.version()) + "@" + e.position()), () -> { });
    }

    /** The next {@code n} things seen, waiting for each. */
    private List<String> next(int n) throws InterruptedException {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String s = seen.poll(10, TimeUnit.SECONDS);
            assertThat(s).as("item " + (i + 1) + " of " + n + " after " + out).isNotNull();
            out.add(s);
        }
        return out;
    }

    private static Job job(String id, long version) {
        return new Job.Builder().id(id).type("t").project("acme").status(JobStatus.RUNNING).createdAt(T)
                .updatedAt(T).version(version).build();
    }

    private static JobEvent log(String id, long position) {
        return JobEvent.log(job(id, 1), new LogLine(position, T, LogLevel.INFO, "line", null)).at(position);
    }

    /** {@code requires}: the position of the last retained event its node had published. */
    private static JobEvent progress(String id, long requires, long version) {
        return JobEvent.progress(job(id, version)).at(requires);
    }

    /** The store's events, as the order reads them. */
    private static final class Store implements EventOrder.Source {
        private final List<JobEvent> events = new ArrayList<>();
        private long head;

        synchronized void add(JobEvent... added) {
            for (JobEvent e : added) {
                events.add(e);
                head = Math.max(head, e.position());
            }
        }

        @Override
        public synchronized long head() {
            return head;
        }

        @Override
        public synchronized List<JobEvent> eventsBetween(long after, long upTo, int limit) {
            return events.stream().filter(e -> e.position() > after && e.position() <= upTo).limit(limit).toList();
        }
    }
}
