package dev.herald.testkit;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.port.WriteBatch;
import dev.herald.core.port.WriteBatch.IdempotencyKey;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.herald.testkit.TestJobs.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link JobStoreContract} section on write batches: an empty one changes nothing, one
 * takes jobs, events, keys and deletions together, and a large one is written whole.
 */
public interface WriteBatchContract extends JobStoreFixture {
    @Test
    default void anEmptyBatchChangesNothing() {
        Job job = TestJobs.running(ACME).build();
        JobEvent e = positioned(JobEvent.status(job, JobStatus.PENDING));
        store().write(new WriteBatch().job(job).event(e));
        store().write(new WriteBatch());
        assertThat(store().find(job.id())).contains(job);
        assertThat(store().eventsAfter(List.of(job.id()), 0, 10)).containsExactly(e);
        assertThat(store().lastPosition()).isEqualTo(e.position());
    }

    @Test
    default void takesJobsEventsKeysAndDeletionsTogether() {
        Job old = TestJobs.completed(ACME, T0.plusSeconds(5)).build();
        save(old);
        Job job = TestJobs.pending(ACME).build();
        JobEvent created = positioned(JobEvent.status(job, null));
        store().write(new WriteBatch().job(job).event(created).key(new IdempotencyKey(ACME, "k", job.id()))
                .delete(old.id()));
        assertThat(store().list(everything(10)).items()).containsExactly(job);
        assertThat(store().eventsAfter(List.of(job.id()), 0, 10)).containsExactly(created);
        assertThat(store().jobIdForIdempotencyKey(ACME, "k")).contains(job.id());
    }

    @Test
    default void writes2000JobsAnd2000EventsInOneBatch() {
        WriteBatch batch = new WriteBatch();
        List<Job> jobs = new ArrayList<>();
        List<JobEvent> events = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            Job job = TestJobs.running(i % 2 == 0 ? ACME : GLOBEX).createdAt(T0.plusMillis(i / 10)).build();
            JobEvent e = positioned(JobEvent.status(job, JobStatus.QUEUED));
            jobs.add(job);
            events.add(e);
            batch.job(job).event(e);
        }
        store().write(batch);

        assertThat(store().lastPosition()).isEqualTo(2_000);
        assertThat(store().find(jobs.get(1_234).id())).contains(jobs.get(1_234));
        assertThat(store().list(everything(2_000)).items())
                .containsExactlyElementsOf(jobs.stream().sorted(NEWEST_FIRST).toList());
        List<String> ids = jobs.stream().map(Job::id).toList();
        assertThat(store().eventsAfter(ids, 0, 5_000)).containsExactlyElementsOf(events);
    }
}
