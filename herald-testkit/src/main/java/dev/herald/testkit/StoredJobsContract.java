package dev.herald.testkit;

import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.port.JobPage;
import dev.herald.core.port.WriteConflict;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static dev.herald.testkit.TestJobs.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@link JobStoreContract} section on jobs themselves: every field kept as written, and
 * the newest version of a job winning over older and equal ones, across batches and within one.
 */
public interface StoredJobsContract extends JobStoreFixture {
    @Test
    default void pingsWhenReachable() {
        assertThatCode(store()::ping).doesNotThrowAnyException();
    }

    @Test
    default void anEmptyStoreHasNothing() {
        assertThat(store().find("missing")).isEmpty();
        assertThat(store().lastPosition()).isZero();
        assertThat(store().list(everything(10))).isEqualTo(new JobPage(List.of(), null));
        assertThat(store().eventsAfter(List.of("missing"), 0, 10)).isEmpty();
        assertThat(store().logs("missing", 0, 10)).isEmpty();
        assertThat(store().lastLogSeq("missing")).isZero();
        assertThat(store().jobIdForIdempotencyKey(ACME, "k")).isEmpty();
        assertThat(store().finishedBefore(T0.plus(Duration.ofDays(3650)), 10)).isEmpty();
        assertThat(store().epoch()).matches("[a-z0-9]+");
    }

    @Test
    default void keepsEveryFieldOfAJob() {
        Job job = TestJobs.everyField(ACME);
        save(job);
        assertThat(store().find(job.id())).contains(job);
    }

    @Test
    default void keepsAJobWithOnlyTheRequiredFields() {
        Job job = new Job.Builder().id(TestJobs.newId()).type("t").project(ACME)
                .createdAt(T0).updatedAt(T0).version(1).build();
        save(job);
        assertThat(store().find(job.id())).contains(job);
    }

    @Test
    default void keepsJobsInEveryLifecycleState() {
        Job pending = TestJobs.pending(ACME).build();
        Job running = TestJobs.running(ACME).build();
        Job completed = TestJobs.completed(GLOBEX, T0.plusSeconds(90)).build();
        save(pending, running, completed);
        assertThat(Stream.of(pending, running, completed).map(j -> store().find(j.id()).orElseThrow()))
                .containsExactly(pending, running, completed);
    }

    @Test
    default void aNewerVersionReplacesTheStoredState() {
        Job v1 = TestJobs.running(ACME).build();
        save(v1);
        Job v2 = TestJobs.next(v1).status(JobStatus.COMPLETED).finishedAt(T0.plusSeconds(60)).build();
        save(v2);
        assertThat(store().find(v1.id())).contains(v2);
        assertThat(store().list(query(Set.of(ACME), JobStatus.RUNNING, null, null, null)).items()).isEmpty();
        assertThat(store().list(query(Set.of(ACME), JobStatus.COMPLETED, null, null, null)).items())
                .containsExactly(v2);
        assertThat(store().finishedBefore(T0.plusSeconds(61), 10)).containsExactly(v2);
    }

    @Test
    default void anOlderOrEqualVersionNeverOverwritesAndIsAConflict() {
        Job stored = TestJobs.running(ACME).version(5).build();
        save(stored);
        assertThatThrownBy(() -> save(stored.toBuilder().version(3).name("older").status(JobStatus.FAILED).build()))
                .isInstanceOf(WriteConflict.class);
        assertThatThrownBy(() -> save(stored.toBuilder().name("same version").build()))
                .isInstanceOf(WriteConflict.class);
        assertThat(store().find(stored.id())).contains(stored);
        assertThat(store().list(query(null, JobStatus.FAILED, null, null, null)).items()).isEmpty();
    }

    @Test
    default void withinOneBatchTheNewestVersionWinsWhateverTheOrder() {
        Job v1 = TestJobs.pending(ACME).build();
        Job v2 = TestJobs.next(v1).status(JobStatus.RUNNING).build();
        Job v3 = TestJobs.next(v2).build();
        save(v2, v1);
        assertThat(store().find(v1.id())).contains(v2);
        save(v2, v3);
        assertThat(store().find(v1.id())).contains(v3);
    }
}
