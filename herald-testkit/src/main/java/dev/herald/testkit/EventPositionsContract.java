package dev.herald.testkit;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLevel;
import dev.herald.core.port.WriteBatch;
import dev.herald.core.port.WriteResult;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.herald.testkit.TestJobs.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link JobStoreContract} section on events: positions given by the store, read back by job
 * or by project in position order, the last position never given out again, and the parents of
 * jobs with recent events.
 */
public interface EventPositionsContract extends JobStoreFixture {
    @Test
    default void statusEventsComeBackWithFromToAndTheFullJob() {
        Job created = TestJobs.pending(ACME).build();
        Job started = TestJobs.next(created).status(JobStatus.RUNNING).startedAt(T0.plusSeconds(1)).build();
        JobEvent e1 = positioned(JobEvent.status(created, null));
        JobEvent e2 = positioned(JobEvent.status(started, JobStatus.PENDING));
        store().write(new WriteBatch().job(created).event(e1));
        store().write(new WriteBatch().job(started).event(e2));

        List<JobEvent> events = store().eventsAfter(List.of(created.id()), 0, 10);
        assertThat(events).containsExactly(e1, e2);
        assertThat(events.get(1).from()).isEqualTo(JobStatus.PENDING);
        assertThat(events.get(1).to()).isEqualTo(JobStatus.RUNNING);
        assertThat(events.get(1).job()).isEqualTo(started);
    }

    @Test
    default void eventsComeInPositionOrderFilteredByJobAfterAPositionAndLimited() {
        Job a = TestJobs.running(ACME).build();
        Job b = TestJobs.running(ACME).build();
        Job c = TestJobs.running(GLOBEX).build();
        List<JobEvent> all = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            WriteBatch batch = new WriteBatch();
            for (Job j : List.of(a, b, c)) {
                Job next = j.toBuilder().version(j.version() + round + 1).build();
                JobEvent e = positioned(JobEvent.status(next, JobStatus.RUNNING));
                batch.job(next).event(e);
                all.add(e);
            }
            store().write(batch);
        }
        List<JobEvent> ofAandC = all.stream().filter(e -> !e.jobId().equals(b.id())).toList();

        assertThat(store().eventsAfter(List.of(a.id(), c.id()), 0, 100)).containsExactlyElementsOf(ofAandC);
        assertThat(store().eventsAfter(Set.of(c.id(), a.id()), 4, 100)).containsExactlyElementsOf(
                ofAandC.stream().filter(e -> e.position() > 4).toList());
        assertThat(store().eventsAfter(List.of(a.id(), c.id()), 0, 3)).containsExactlyElementsOf(ofAandC.subList(0, 3));
        assertThat(store().eventsAfter(List.of(a.id(), c.id()), 9, 100)).isEmpty();
        assertThat(store().eventsAfter(List.of(), 0, 100)).isEmpty();
        assertThat(store().eventsAfter(List.of("unknown"), 0, 100)).isEmpty();
    }

    @Test
    default void eventsOfEveryJobBetweenTwoPositionsComeInPositionOrderLimited() {
        Job a = TestJobs.running(ACME).build();
        Job c = TestJobs.running(GLOBEX).build();
        List<JobEvent> all = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            WriteBatch batch = new WriteBatch();
            for (Job j : List.of(a, c)) {
                Job next = j.toBuilder().version(j.version() + round + 1).build();
                batch.job(next).event(JobEvent.status(next, JobStatus.RUNNING));
            }
            all.addAll(store().write(batch).events());
        }

        assertThat(store().eventsBetween(0, 6, 100)).containsExactlyElementsOf(all);
        assertThat(store().eventsBetween(2, 5, 100)).containsExactlyElementsOf(all.subList(2, 5));
        assertThat(store().eventsBetween(0, 6, 2)).containsExactlyElementsOf(all.subList(0, 2));
        assertThat(store().eventsBetween(6, 9, 100)).isEmpty();
    }

    @Test
    default void theStoreGivesPositionsOneAfterAnotherInTheBatchsOrder() {
        Job job = TestJobs.pending(ACME).build();
        WriteResult first = store().write(new WriteBatch().job(job).event(JobEvent.status(job, null)));
        assertThat(first.events()).extracting(JobEvent::position).containsExactly(1L);
        assertThat(store().lastPosition()).isEqualTo(1);

        Job next = TestJobs.next(job).status(JobStatus.RUNNING).build();
        JobEvent started = JobEvent.status(next, JobStatus.PENDING);
        JobEvent logged = JobEvent.log(next, line(1, LogLevel.INFO, "a position it carries is ignored", null)).at(41);
        WriteResult second = store().write(new WriteBatch().job(next).event(started).event(logged));
        assertThat(second.events()).containsExactly(started.at(2), logged.at(3));
        assertThat(store().eventsAfter(List.of(job.id()), 0, 10)).containsExactly(
                first.events().get(0), started.at(2), logged.at(3));
        assertThat(store().lastPosition()).isEqualTo(3);

        assertThat(store().write(new WriteBatch().job(TestJobs.next(next).build())).events()).isEmpty();
        assertThat(store().lastPosition()).isEqualTo(3);
    }

    @Test
    default void anEventOfAJobDeletedInItsBatchTakesAPositionButIsNotKept() {
        Job gone = TestJobs.running(ACME).build();
        Job kept = TestJobs.running(ACME).build();
        save(gone, kept);
        WriteResult written = store().write(new WriteBatch().event(JobEvent.status(gone, JobStatus.PENDING))
                .event(JobEvent.status(kept, JobStatus.PENDING)).delete(gone.id()));

        assertThat(written.events()).extracting(JobEvent::position).containsExactly(1L, 2L);
        assertThat(store().eventsAfter(List.of(gone.id(), kept.id()), 0, 10)).containsExactly(written.events().get(1));
        assertThat(store().lastPosition()).isEqualTo(2);
    }

    @Test
    default void projectEventsAreThoseOfTheProjectInPositionOrder() {
        Job a = TestJobs.running(ACME).build();
        Job b = TestJobs.running("globex").build();
        Job c = TestJobs.running(ACME).build();
        store().write(new WriteBatch().job(a).job(b).job(c).event(JobEvent.status(a, null).at(1))
                .event(JobEvent.status(b, null).at(2)).event(JobEvent.status(c, null).at(3))
                .event(JobEvent.status(a, JobStatus.PENDING).at(4)));
        assertThat(store().projectEventsAfter(ACME, 0, 10)).extracting(JobEvent::position).containsExactly(1L, 3L, 4L);
        assertThat(store().projectEventsAfter(ACME, 1, 1)).extracting(JobEvent::jobId).containsExactly(c.id());
        assertThat(store().projectEventsAfter("nobody", 0, 10)).isEmpty();
    }

    @Test
    default void lastPositionNeverGoesDownWhenTheNewestEventsAreDeleted() {
        Job kept = TestJobs.pending(ACME).build();
        Job gone = TestJobs.running(ACME).build();
        store().write(new WriteBatch().job(kept).job(gone).event(JobEvent.status(kept, null).at(1))
                .event(JobEvent.status(gone, null).at(2)));
        store().write(new WriteBatch().delete(gone.id()));
        assertThat(store().eventsAfter(List.of(gone.id()), 0, 10)).isEmpty();
        assertThat(store().lastPosition()).as("a reader's cursor may be at 2: it must never be given out again")
                .isEqualTo(2);
    }

    @Test
    default void parentsOfJobsWithRecentEventsAreFoundByPosition() {
        Job parentA = TestJobs.running(ACME).build();
        Job parentB = TestJobs.running(GLOBEX).build();
        Job a1 = TestJobs.running(ACME).parentId(parentA.id()).build();
        Job a2 = TestJobs.running(ACME).parentId(parentA.id()).build();
        Job b1 = TestJobs.running(GLOBEX).parentId(parentB.id()).build();
        store().write(new WriteBatch().job(parentA).job(parentB).job(a1).job(a2).job(b1)
                .event(positioned(JobEvent.status(b1, null)))
                .event(positioned(JobEvent.status(parentA, null)))
                .event(positioned(JobEvent.status(a1, null)))
                .event(positioned(JobEvent.status(a2, null))));

        assertThat(store().parentsOfJobsWithEventsAfter(0)).containsExactlyInAnyOrder(parentA.id(), parentB.id());
        assertThat(store().parentsOfJobsWithEventsAfter(1)).containsExactly(parentA.id());
        assertThat(store().parentsOfJobsWithEventsAfter(4)).isEmpty();
    }
}
