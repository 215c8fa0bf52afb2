package dev.herald.testkit;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.port.WriteBatch;
import dev.herald.core.port.WriteBatch.IdempotencyKey;
import dev.herald.core.port.WriteConflict;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@link JobStoreContract} section on conflicts: a stale job version or a key held by another
 * job is reported, never dropped, and the batch is written not at all.
 */
public interface WriteConflictsContract extends JobStoreFixture {
    @Test
    default void anOlderVersionIsAConflictAndNothingOfItsBatchIsWritten() {
        Job job = TestJobs.running(ACME).version(5).build();
        Job other = TestJobs.running(ACME).build();
        store().write(new WriteBatch().job(job).event(positioned(JobEvent.status(job, JobStatus.PENDING))));

        Job older = job.toBuilder().version(4).status(JobStatus.FAILED).build();
        Job newer = TestJobs.next(other).build();
        WriteBatch stale = new WriteBatch().job(newer).job(older).event(JobEvent.status(older, JobStatus.RUNNING))
                .key(new IdempotencyKey(ACME, "k", other.id())).delete("j_unknown");
        assertThatThrownBy(() -> store().write(stale)).isInstanceOfSatisfying(WriteConflict.class, c -> {
            assertThat(c.staleJobs()).containsExactly(job.id());
            assertThat(c.takenKeys()).isEmpty();
        });

        assertThat(store().find(job.id())).contains(job);
        assertThat(store().find(other.id())).isEmpty();
        assertThat(store().jobIdForIdempotencyKey(ACME, "k")).isEmpty();
        assertThat(store().lastPosition()).as("the refused batch took no position").isEqualTo(1);
        Job later = TestJobs.next(job).build();
        assertThat(store().write(new WriteBatch().job(later).event(JobEvent.status(later, JobStatus.RUNNING)))
                .events()).extracting(JobEvent::position).containsExactly(2L);
    }

    @Test
    default void staleJobsAndTakenKeysAreReportedTogether() {
        Job a = TestJobs.running(ACME).version(2).build();
        Job b = TestJobs.running(ACME).version(2).build();
        store().write(new WriteBatch().job(a).job(b).key(new IdempotencyKey(ACME, "k", a.id())));

        WriteBatch batch = new WriteBatch().job(a.toBuilder().version(1).build()).job(b.toBuilder().version(1).build())
                .key(new IdempotencyKey(ACME, "k", b.id()));
        assertThatThrownBy(() -> store().write(batch)).isInstanceOfSatisfying(WriteConflict.class, c -> {
            assertThat(c.staleJobs()).containsExactlyInAnyOrder(a.id(), b.id());
            assertThat(c.takenKeys()).containsExactly(new IdempotencyKey(ACME, "k", a.id()));
            assertThat(c.holderOf(new IdempotencyKey(ACME, "k", b.id()))).isEqualTo(a.id());
        });
        assertThat(store().list(everything(10)).items()).extracting(Job::version).containsOnly(2L);
        assertThat(store().eventsAfter(List.of(a.id(), b.id()), 0, 10)).isEmpty();
    }
}
