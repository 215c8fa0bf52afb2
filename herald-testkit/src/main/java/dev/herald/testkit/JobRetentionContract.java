package dev.herald.testkit;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLevel;
import dev.herald.core.port.WriteBatch;
import dev.herald.core.port.WriteBatch.IdempotencyKey;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.herald.testkit.TestJobs.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link JobStoreContract} section on retention: which finished jobs are old enough to go,
 * which are not finished (a start's recovery), and what deleting a job takes with it.
 */
public interface JobRetentionContract extends JobStoreFixture {
    @Test
    default void finishedBeforeGivesFinishedJobsOlderThanTheCutoffOldestFirst() {
        Job at1h = TestJobs.completed(ACME, T0.plus(Duration.ofHours(1))).build();
        Job at2h = TestJobs.completed(GLOBEX, T0.plus(Duration.ofHours(2))).build();
        Job at3h = TestJobs.completed(ACME, T0.plus(Duration.ofHours(3))).build();
        Job failedAt30m = TestJobs.completed(ACME, T0.plus(Duration.ofMinutes(30)))
                .status(JobStatus.FAILED).result(null).build();
        Job running = TestJobs.running(ACME).build();
        save(at3h, running, at1h, failedAt30m, at2h);

        Instant cutoff = T0.plus(Duration.ofHours(3));
        assertThat(store().finishedBefore(cutoff, 10)).containsExactly(failedAt30m, at1h, at2h);
        assertThat(store().finishedBefore(cutoff, 2)).containsExactly(failedAt30m, at1h);
        assertThat(store().finishedBefore(T0, 10)).isEmpty();
    }

    @Test
    default void aFinishedChildOfALiveParentIsKeptWhateverItsAge() {
        Job runningParent = TestJobs.running(ACME).build();
        Job keptChild = TestJobs.completed(ACME, T0.plus(Duration.ofHours(1))).parentId(runningParent.id()).build();
        Job recentParent = TestJobs.completed(ACME, T0.plus(Duration.ofHours(5))).build();
        Job keptToo = TestJobs.completed(ACME, T0.plus(Duration.ofHours(1))).parentId(recentParent.id()).build();
        Job oldParent = TestJobs.completed(ACME, T0.plus(Duration.ofHours(2))).build();
        Job goes = TestJobs.completed(ACME, T0.plus(Duration.ofMinutes(90))).parentId(oldParent.id()).build();
        Job orphan = TestJobs.completed(ACME, T0.plus(Duration.ofMinutes(30))).parentId("j_gone").build();
        save(runningParent, keptChild, recentParent, keptToo, oldParent, goes, orphan);

        // a parent still running, or finished too recently, keeps its children: its summary counts them
        assertThat(store().finishedBefore(T0.plus(Duration.ofHours(3)), 10)).containsExactly(orphan, goes, oldParent);
    }

    @Test
    default void unfinishedGivesJobsWithoutAFinishTimeByIdInPages() {
        Job pending = TestJobs.pending(ACME).build();
        Job running = TestJobs.running(GLOBEX).build();
        Job queued = TestJobs.pending(ACME).status(JobStatus.QUEUED).build();
        Job done = TestJobs.completed(ACME, T0.plus(Duration.ofHours(1))).build();
        save(done, running, pending, queued);
        List<Job> byId = java.util.stream.Stream.of(pending, running, queued)
                .sorted(java.util.Comparator.comparing(Job::id)).toList();

        assertThat(store().unfinished(null, 10)).containsExactlyElementsOf(byId);
        assertThat(store().unfinished(null, 2)).containsExactlyElementsOf(byId.subList(0, 2));
        assertThat(store().unfinished(byId.get(1).id(), 2)).containsExactly(byId.get(2));
        assertThat(store().unfinished(byId.get(2).id(), 2)).isEmpty();
    }

    @Test
    default void deletingAJobRemovesItsEventsLogsAndKeys() {
        Job gone = TestJobs.running(ACME).build();
        Job kept = TestJobs.running(ACME).build();
        JobEvent keptStatus = positioned(JobEvent.status(kept, JobStatus.PENDING));
        JobEvent keptLog = positioned(JobEvent.log(kept, line(1, LogLevel.INFO, "kept", null)));
        store().write(new WriteBatch().job(gone).job(kept)
                .event(keptStatus).event(keptLog)
                .event(positioned(JobEvent.status(gone, JobStatus.PENDING)))
                .event(positioned(JobEvent.log(gone, line(1, LogLevel.INFO, "gone", null))))
                .key(new IdempotencyKey(ACME, "gone-key", gone.id()))
                .key(new IdempotencyKey(ACME, "kept-key", kept.id())));

        store().write(new WriteBatch().delete(gone.id()).delete("never-existed"));

        assertThat(store().find(gone.id())).isEmpty();
        assertThat(store().find(kept.id())).contains(kept);
        assertThat(store().eventsAfter(List.of(gone.id(), kept.id()), 0, 10)).containsExactly(keptStatus, keptLog);
        assertThat(store().logs(gone.id(), 0, 10)).isEmpty();
        assertThat(store().lastLogSeq(gone.id())).isZero();
        assertThat(store().jobIdForIdempotencyKey(ACME, "gone-key")).isEmpty();
        assertThat(store().jobIdForIdempotencyKey(ACME, "kept-key")).contains(kept.id());
        assertThat(store().list(everything(10)).items()).containsExactly(kept);
    }
}
