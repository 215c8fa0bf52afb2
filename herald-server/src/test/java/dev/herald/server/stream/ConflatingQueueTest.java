package dev.herald.server.stream;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLevel;
import dev.herald.core.model.LogLine;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConflatingQueueTest {
    private static final Instant T = Instant.parse("2026-11-22T10:00:00Z");

    private static Job job(String id, long version) {
        return new Job.Builder().id(id).type("t").project("p").status(JobStatus.RUNNING).createdAt(T).updatedAt(T)
                .version(version).build();
    }

    private static EncodedEvent progress(String id, long version) {
        return new EncodedEvent(JobEvent.progress(job(id, version)), "e");
    }

    private static EncodedEvent status(String id, long version) {
        return new EncodedEvent(JobEvent.status(job(id, version), JobStatus.PENDING), "e");
    }

    private static EncodedEvent log(String id, long version) {
        return new EncodedEvent(JobEvent.log(job(id, version), new LogLine(version, T, LogLevel.INFO, "m", null)), "e");
    }

    private static List<String> drain(ConflatingQueue q) {
        List<String> out = new ArrayList<>();
        EncodedEvent e;
        while ((e = q.poll()) != null) {
            out.add(e.event().jobId() + ":" + e.event().type().wire() + ":" + e.event().version());
        }
        return out;
    }

    private static ConflatingQueue full(ConflatingQueue.Budget budget) {
        ConflatingQueue q = new ConflatingQueue(budget);
        q.conflate(true);
        return q;
    }

    @Test
    void whileTheConnectionTakesMoreEveryStateWaitsItsTurn() {
        ConflatingQueue q = new ConflatingQueue(new ConflatingQueue.Budget(10));
        q.offer(progress("a", 1));
        q.offer(progress("b", 1));
        q.offer(progress("a", 2));
        q.offer(status("a", 3));
        q.offer(progress("a", 4));
        assertThat(drain(q)).containsExactly("a:progress:1", "b:progress:1", "a:progress:2", "a:status:3",
                "a:progress:4");
    }

    @Test
    void statesConflateOnceTheReaderOwesTooManyAndTheShareComesBack() {
        ConflatingQueue.Budget budget = new ConflatingQueue.Budget(2);
        ConflatingQueue q = new ConflatingQueue(budget);
        for (int v = 1; v <= 1000; v++) {
            assertThat(q.offer(progress("a", v))).isTrue();
        }
        assertThat(q.offer(log("a", 1001))).as("superseded states do not count against kept events").isTrue();
        assertThat(drain(q)).containsExactly("a:progress:1", "a:progress:2", "a:progress:1000", "a:log:1001");
        for (int v = 1002; v <= 1004; v++) {
            q.offer(progress("a", v));
        }
        assertThat(drain(q)).containsExactly("a:progress:1002", "a:progress:1003", "a:progress:1004");
    }

    @Test
    void aFullConnectionConflatesWhatComesAndKeepsWhatWaitsInOrder() {
        ConflatingQueue q = new ConflatingQueue(new ConflatingQueue.Budget(10));
        q.offer(progress("a", 1));
        q.offer(progress("a", 2));
        q.conflate(true);
        q.offer(progress("a", 3));
        q.offer(progress("a", 4));
        assertThat(q.poll().event().version()).isEqualTo(1);
        q.conflate(false);
        q.offer(progress("a", 5));
        assertThat(drain(q)).containsExactly("a:progress:4", "a:progress:5");
    }

    @Test
    void newerStateReplacesAnUndeliveredOneOfTheSameJob() {
        ConflatingQueue q = full(new ConflatingQueue.Budget(10));
        q.offer(progress("a", 1));
        q.offer(progress("b", 1));
        q.offer(progress("a", 2));
        q.offer(progress("a", 3));
        assertThat(drain(q)).containsExactly("b:progress:1", "a:progress:3");
    }

    @Test
    void statusAndLogEventsAreNeverDroppedAndVersionOrderHolds() {
        ConflatingQueue q = full(new ConflatingQueue.Budget(10));
        q.offer(progress("a", 1));
        q.offer(status("a", 2));
        q.offer(log("a", 3));
        q.offer(progress("a", 4));
        q.offer(progress("a", 5));
        // progress 1 is superseded too: the status after it carries a newer state anyway
        assertThat(drain(q)).containsExactly("a:status:2", "a:log:3", "a:progress:5");
    }

    @Test
    void aDeliveredStateIsNotReplacedAfterwards() {
        ConflatingQueue q = full(new ConflatingQueue.Budget(10));
        q.offer(progress("a", 1));
        assertThat(q.poll().event().version()).isEqualTo(1);
        q.offer(progress("a", 2));
        q.offer(progress("a", 3));
        assertThat(drain(q)).containsExactly("a:progress:3");
    }

    @Test
    void tooManyKeptEventsOverflowWhileStatesStillConflate() {
        ConflatingQueue q = full(new ConflatingQueue.Budget(2));
        assertThat(q.offer(status("a", 1))).isTrue();
        assertThat(q.offer(log("a", 2))).isTrue();
        for (int v = 3; v < 1000; v++) {
            assertThat(q.offer(progress("a", v))).as("states never overflow").isTrue();
        }
        assertThat(q.offer(log("a", 1000))).as("a third kept event overflows").isFalse();
        assertThat(drain(q)).containsExactly("a:status:1", "a:log:2", "a:progress:999");
        assertThat(q.offer(log("a", 1001))).as("room again once delivered").isTrue();
    }

    @Test
    void queuesSharingABudgetOverflowTogetherAndAClosedOneGivesItsShareBack() {
        ConflatingQueue.Budget budget = new ConflatingQueue.Budget(3);
        ConflatingQueue a = full(budget);
        ConflatingQueue b = full(budget);
        assertThat(a.offer(log("a", 1))).isTrue();
        assertThat(a.offer(log("a", 2))).isTrue();
        assertThat(b.offer(log("b", 1))).isTrue();
        assertThat(b.offer(log("b", 2))).as("a fourth kept event of the reader overflows, whichever queue").isFalse();
        assertThat(b.offer(progress("b", 3))).as("states never overflow").isTrue();
        a.close();
        assertThat(a.offer(log("a", 3))).as("a closed queue drops what comes").isTrue();
        assertThat(a.poll()).isNull();
        assertThat(b.offer(log("b", 4))).as("room again once a queue is closed").isTrue();
        assertThat(b.offer(log("b", 5))).isTrue();
        assertThat(b.offer(log("b", 6))).isFalse();
        assertThat(drain(b)).containsExactly("b:log:1", "b:progress:3", "b:log:4", "b:log:5");
    }
}
