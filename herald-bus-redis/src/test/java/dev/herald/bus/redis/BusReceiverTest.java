package dev.herald.bus.redis;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.port.Subscriptions;
import dev.herald.testkit.TestJobs;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Without Redis: which messages of other nodes are read, and which only counted (docs/cluster.md §4.6). */
class BusReceiverTest {
    private final Subscriptions subscriptions = new Subscriptions();
    private final List<JobEvent> delivered = new ArrayList<>();
    private final AtomicInteger missed = new AtomicInteger();
    private final BusReceiver receiver = new BusReceiver("here", subscriptions);

    BusReceiverTest() {
        subscriptions.add(delivered::add, missed::incrementAndGet);
    }

    private static String message(long sequence, JobEvent e) {
        return BusEnvelope.encode("there", sequence, 0, e, BusEnvelope.eventJson(e));
    }

    @Test
    void progressOfJobsNobodyHereWatchesIsCountedUnreadAndRetainedEventsStillArrive() {
        Job watched = TestJobs.running("acme").build();
        Job parent = TestJobs.running("acme").build();
        Job child = TestJobs.running("acme").parentId(parent.id()).build();
        Job other = TestJobs.running("acme").build();
        receiver.watchedBy((job, project, ancestors) -> job.equals(watched.id()) || ancestors.contains(parent.id()));

        JobEvent otherStatus = JobEvent.status(other, JobStatus.PENDING).at(3);
        JobEvent watchedProgress = JobEvent.progress(watched).at(3);
        JobEvent childProgress = JobEvent.progress(child).at(3).within(List.of(parent.id()));
        receiver.receive(Buffer.buffer(message(1, JobEvent.progress(other).at(2))));
        receiver.receive(Buffer.buffer(message(2, JobEvent.children(other).at(2))));
        receiver.receive(Buffer.buffer(message(3, otherStatus)));
        receiver.receive(Buffer.buffer(message(4, watchedProgress)));
        receiver.receive(Buffer.buffer(message(5, childProgress)));

        assertThat(delivered).containsExactly(otherStatus, watchedProgress, childProgress);
        assertThat(receiver.received()).isEqualTo(5);
        assertThat(receiver.unread()).isEqualTo(2);
        assertThat(missed).hasValue(0);
    }

    @Test
    void aHoleInASequenceIsSeenOnUnreadMessagesToo() {
        receiver.watchedBy((job, project, ancestors) -> false);
        Job job = TestJobs.running("acme").build();

        receiver.receive(Buffer.buffer(message(1, JobEvent.progress(job).at(2))));
        receiver.receive(Buffer.buffer(message(3, JobEvent.progress(job).at(2))));

        assertThat(delivered).isEmpty();
        assertThat(receiver.gaps()).isEqualTo(1);
        assertThat(missed).hasValue(1);
    }

    @Test
    void untilToldWhatIsWatchedEveryEventIsRead() {
        Job job = TestJobs.running("acme").build();
        JobEvent progress = JobEvent.progress(job).at(2);

        receiver.receive(Buffer.buffer(message(1, progress)));
        receiver.receive(Buffer.buffer(BusEnvelope.encode("here", 1, 0, progress, BusEnvelope.eventJson(progress))));

        assertThat(delivered).containsExactly(progress);
        assertThat(receiver.unread()).isZero();
    }

    @Test
    void itsOwnMessagesAreToldFromTheirFirstBytes() {
        JobEvent progress = JobEvent.progress(TestJobs.running("acme").build()).at(2);
        String own = BusEnvelope.encode("here", 1, 0, progress, BusEnvelope.eventJson(progress));

        assertThat(receiver.own(Buffer.buffer(own))).isTrue();
        assertThat(receiver.own(Buffer.buffer(message(1, progress)))).isFalse();
        assertThat(receiver.own(Buffer.buffer(BusEnvelope.encode("here-too", 1, 0, progress, "{}")))).isFalse();
        assertThat(receiver.own(Buffer.buffer("{\"n\""))).isFalse();
    }

    @Test
    void severalEventsInOneMessageArriveInTheirOrderAndAnOwnOneIsToldToo() {
        Job job = TestJobs.running("acme").build();
        JobEvent first = JobEvent.progress(job).at(2);
        JobEvent second = JobEvent.progress(TestJobs.next(job).build()).at(2);

        receiver.receive(BusMessage.pack("there", List.of(message(1, first), message(2, second))));
        receiver.receive(Buffer.buffer("{\"n\":\"there\",\"b\":[5]}{}"));

        assertThat(delivered).containsExactly(first, second);
        assertThat(receiver.received()).isEqualTo(2);
        assertThat(receiver.dropped()).isEqualTo(1);
        assertThat(missed).hasValue(0);
        String own = BusEnvelope.encode("here", 1, 0, first, BusEnvelope.eventJson(first));
        assertThat(receiver.own(BusMessage.pack("here", List.of(own, own)))).isTrue();
    }
}
