package dev.herald.testkit;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.ChildrenSummary;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLevel;
import dev.herald.core.model.LogLine;
import dev.herald.core.model.RawJson;
import dev.herald.core.port.EventBus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static dev.herald.testkit.TestJobs.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

/**
 * The behaviour every {@link EventBus} must have. An adapter's test extends this
 * class and says how to make a bus; {@code LocalEventBus} is the reference.
 *
 * <p>A bus may deliver after {@code publish} returns and on threads of its own, so
 * every check waits for what it expects. That an event did <em>not</em> reach a
 * subscriber is checked once a later event has reached another one; only a closed
 * bus, which has no other subscriber left, is watched for {@link #quietPeriod()}.
 */
public abstract class EventBusContract {
    protected static final String ACME = "acme";

    protected EventBus bus;
    private final BusEvents made = new BusEvents();

    /** A new bus with no subscribers; called before each test. */
    protected abstract EventBus newBus() throws Exception;

    /** Called after each test, once the bus is closed, to remove what {@link #newBus} made. */
    protected void cleanUp() throws Exception {
    }

    /**
     * Makes the bus lose events the way it can in production (a bus between nodes:
     * drop its connection) and answers true; a bus that cannot lose any answers
     * false, and must then never call {@code onMissed}.
     */
    protected boolean loseEvents() throws Exception {
        return false;
    }

    /** How long a delivery may take before the test fails. */
    protected Duration deliveryTimeout() {
        return Duration.ofSeconds(10);
    }

    /** How long a closed bus is watched for deliveries it must not make. */
    protected Duration quietPeriod() {
        return Duration.ofMillis(200);
    }

    @BeforeEach
    void openBus() throws Exception {
        bus = newBus();
    }

    @AfterEach
    void closeBus() throws Exception {
        try {
            if (bus != null) {
                bus.close();
            }
        } finally {
            cleanUp();
        }
    }

    protected EventInbox subscribe() {
        EventInbox inbox = new EventInbox(deliveryTimeout());
        bus.subscribe(inbox);
        return inbox;
    }

    private void publishAll(List<JobEvent> events) {
        events.forEach(bus::publish);
    }

    @Test
    void deliversEveryKindOfEventWhole() {
        EventInbox inbox = subscribe();
        Job parent = TestJobs.running(ACME).children(new ChildrenSummary(3, 1, 0, 1, 1, 0, 0, 33.33)).build();
        Job created = TestJobs.pending(ACME).parentId(parent.id()).build();
        Job started = TestJobs.next(created).status(JobStatus.RUNNING).startedAt(T0.plusSeconds(1)).build();
        List<String> ancestors = List.of(parent.id(), TestJobs.newId());
        LogLine line = new LogLine(1, T0.plusSeconds(2), LogLevel.WARN, "disk 91 % full",
                new RawJson("{\"disk\":\"sda\",\"free\":0.09}"));
        List<JobEvent> events = List.of(
                made.retained(JobEvent.status(created, null)).within(ancestors),
                made.retained(JobEvent.status(started, JobStatus.PENDING)).within(ancestors),
                JobEvent.progress(TestJobs.next(started).build()).at(made.position()).within(ancestors),
                made.retained(JobEvent.log(started, line)).within(ancestors),
                JobEvent.children(parent).at(made.position()),
                JobEvent.snapshot(TestJobs.everyField(ACME), made.position()),
                JobEvent.deleted(TestJobs.completed("globex", T0.plusSeconds(9)).build(), T0.plusSeconds(10))
                        .at(made.position()));
        publishAll(events);

        assertThat(inbox.awaitCount(events.size())).containsExactlyInAnyOrderElementsOf(events);
    }

    @Test
    void deliversAJobsEventsInPublishOrder() {
        EventInbox inbox = subscribe();
        Job job = TestJobs.running(ACME).build();
        List<JobEvent> events = made.progressOf(job, 500);
        publishAll(events);

        inbox.awaitCount(events.size());
        assertThat(inbox.of(job.id())).containsExactlyElementsOf(events);
    }

    @Test
    void everySubscriberGetsEveryEventOfEveryJob() {
        List<EventInbox> inboxes = List.of(subscribe(), subscribe(), subscribe());
        List<Job> jobs = List.of(TestJobs.running(ACME).build(), TestJobs.running(ACME).build(),
                TestJobs.running("globex").build());
        List<List<JobEvent>> perJob = jobs.stream().map(j -> made.progressOf(j, 50)).toList();
        for (int i = 0; i < 50; i++) {
            for (List<JobEvent> events : perJob) {
                bus.publish(events.get(i));
            }
        }

        for (EventInbox inbox : inboxes) {
            assertThat(inbox.awaitCount(150)).hasSize(150);
            for (int j = 0; j < jobs.size(); j++) {
                assertThat(inbox.of(jobs.get(j).id())).containsExactlyElementsOf(perJob.get(j));
            }
        }
    }

    @Test
    void aNewSubscriberGetsOnlyWhatIsPublishedAfterItSubscribed() {
        EventInbox early = subscribe();
        List<JobEvent> events = made.progressOf(TestJobs.running(ACME).build(), 2);
        bus.publish(events.get(0));
        early.awaitReceived(events.get(0));

        EventInbox late = subscribe();
        bus.publish(events.get(1));

        assertThat(late.awaitReceived(events.get(1))).containsExactly(events.get(1));
        assertThat(early.awaitCount(2)).containsExactlyElementsOf(events);
    }

    @Test
    void closingASubscriptionStopsDeliveryToItAlone() throws Exception {
        EventInbox staying = subscribe();
        EventInbox leaving = new EventInbox(deliveryTimeout());
        AutoCloseable subscription = bus.subscribe(leaving);
        List<JobEvent> events = made.progressOf(TestJobs.running(ACME).build(), 3);
        bus.publish(events.get(0));
        leaving.awaitReceived(events.get(0));

        subscription.close();
        publishAll(events.subList(1, 3));

        assertThat(staying.awaitCount(3)).containsExactlyElementsOf(events);
        assertThat(leaving.events()).containsExactly(events.get(0));
    }

    @Test
    void eachSubscriptionIsItsOwnEvenForTheSameListener() throws Exception {
        EventInbox twice = new EventInbox(deliveryTimeout());
        AutoCloseable first = bus.subscribe(twice);
        bus.subscribe(twice);
        List<JobEvent> events = made.progressOf(TestJobs.running(ACME).build(), 3);
        bus.publish(events.get(0));
        assertThat(twice.awaitCount(2)).containsExactly(events.get(0), events.get(0));

        first.close();
        first.close();
        EventInbox marker = subscribe();
        publishAll(events.subList(1, 3));

        marker.awaitCount(2);
        assertThat(twice.awaitCount(4)).containsExactly(events.get(0), events.get(0), events.get(1), events.get(2));
    }

    @Test
    void aSubscriberMayCloseItsSubscriptionFromItsOwnDelivery() {
        EventInbox once = new EventInbox(deliveryTimeout());
        AtomicReference<AutoCloseable> own = new AtomicReference<>();
        own.set(bus.subscribe(event -> {
            once.accept(event);
            close(own.get());
        }));
        EventInbox marker = subscribe();
        List<JobEvent> events = made.progressOf(TestJobs.running(ACME).build(), 3);
        publishAll(events);

        marker.awaitCount(3);
        assertThat(once.events()).containsExactly(events.get(0));
    }

    @Test
    void aFailingSubscriberDisturbsNeitherOthersNorTheirLaterDeliveries() {
        EventInbox before = subscribe();
        EventInbox failing = new EventInbox(deliveryTimeout());
        bus.subscribe(event -> {
            failing.accept(event);
            throw new IllegalStateException("a subscriber that always fails");
        });
        EventInbox after = subscribe();
        List<JobEvent> events = made.progressOf(TestJobs.running(ACME).build(), 3);
        for (JobEvent e : events) {
            assertThatCode(() -> bus.publish(e)).as("publish, whatever a subscriber does").doesNotThrowAnyException();
        }

        assertThat(before.awaitCount(3)).containsExactlyElementsOf(events);
        assertThat(after.awaitCount(3)).containsExactlyElementsOf(events);
        assertThat(failing.awaitCount(3)).as("the failing subscriber still gets later events")
                .containsExactlyElementsOf(events);
    }

    @Test
    void concurrentPublishersKeepEachJobsOrder() throws Exception {
        List<EventInbox> inboxes = List.of(subscribe(), subscribe());
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            jobs.add(TestJobs.running(i % 2 == 0 ? ACME : "globex").build());
        }
        List<List<JobEvent>> perJob = jobs.stream().map(j -> made.progressOf(j, 200)).toList();
        int total = jobs.size() * 200;
        new TurnTakingPublishers(4, deliveryTimeout()).publish(bus, perJob);

        for (EventInbox inbox : inboxes) {
            assertThat(inbox.awaitCount(total)).hasSize(total);
            for (int j = 0; j < jobs.size(); j++) {
                assertThat(inbox.of(jobs.get(j).id())).containsExactlyElementsOf(perJob.get(j));
            }
        }
    }

    @Test
    void aSubscriberIsToldWhenItMayHaveMissedEventsAndGetsLaterOnes() throws Exception {
        EventInbox inbox = new EventInbox(deliveryTimeout());
        bus.subscribe(inbox, inbox::missed);
        EventInbox gone = new EventInbox(deliveryTimeout());
        bus.subscribe(gone, gone::missed).close();
        List<JobEvent> events = made.progressOf(TestJobs.running(ACME).build(), 2);
        bus.publish(events.get(0));
        inbox.awaitReceived(events.get(0));

        boolean lost = loseEvents();
        if (lost) {
            inbox.awaitMissed();
        }
        bus.publish(events.get(1));

        assertThat(inbox.awaitReceived(events.get(1))).containsExactlyElementsOf(events);
        if (!lost) {
            assertThat(inbox.timesMissed()).as("word of lost events from a bus that cannot lose any").isZero();
        }
        assertThat(gone.timesMissed()).as("word of lost events to a closed subscription").isZero();
        assertThat(gone.events()).isEmpty();
    }

    @Test
    void closingTheBusEndsEverySubscription() {
        EventInbox inbox = new EventInbox(deliveryTimeout());
        AutoCloseable subscription = bus.subscribe(inbox);
        bus.close();
        try {
            bus.publish(made.progressOf(TestJobs.running(ACME).build(), 1).get(0));
        } catch (IllegalStateException refused) {
            // a closed bus may refuse to publish instead of ignoring it
        }

        await("silence on a closed bus").during(quietPeriod()).atMost(quietPeriod().plus(deliveryTimeout()))
                .until(() -> inbox.events().isEmpty());
        assertThatCode(subscription::close).as("closing a subscription of a closed bus").doesNotThrowAnyException();
        assertThatCode(bus::close).as("closing a bus twice").doesNotThrowAnyException();
    }

    private static void close(AutoCloseable subscription) {
        try {
            subscription.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
