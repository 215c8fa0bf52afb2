package dev.herald.core.engine;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.port.LocalEventBus;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.herald.core.engine.EngineTestSupport.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A cascade cancels a job in a group that is queued only after its walk of the store. A summary update of that job
 * meanwhile takes the next version; queued before the group, it would reach readers first and the cancellation
 * would be dropped as stale (CascadeCancelTest lost a {@code status} event that way).
 */
class WriteGroupTest {
    @Test
    void aLaterChangeOfAJobInAGroupNotYetQueuedIsQueuedRightBehindTheGroup() throws Exception {
        WriteQueue queue = new WriteQueue(new EventPublisher(new LocalEventBus(), 0, null));
        Job running = new Job.Builder().id("j_1").type("import").project("acme").status(JobStatus.RUNNING)
                .createdAt(T0).updatedAt(T0).startedAt(T0).version(1).build();
        LiveJob live = new LiveJob(running, 0, List.of(), null, 0, 60_000);

        WriteGroup group = queue.group();
        Job cancelled = running.toBuilder().status(JobStatus.CANCELLED).finishedAt(T0).version(2).build();
        synchronized (live) {
            live.set(cancelled);
            group.add(live, cancelled, JobEvent.status(cancelled, JobStatus.RUNNING));
        }
        Job summarised = cancelled.toBuilder().version(3).build();
        synchronized (live) {
            live.set(summarised);
            queue.publish(live, JobEvent.children(summarised));
        }
        group.submit();
        Job later = summarised.toBuilder().version(4).build();
        synchronized (live) {
            queue.publish(live, JobEvent.children(later));
        }

        List<WriteQueue.Item> items = new ArrayList<>();
        queue.takeInto(items, 0, 100);
        assertThat(items).extracting(i -> i.event().jobId() + "@" + i.event().version())
                .containsExactly("j_1@2", "j_1@3", "j_1@4");
        assertThat(live.heldBy).isNull();
    }
}
