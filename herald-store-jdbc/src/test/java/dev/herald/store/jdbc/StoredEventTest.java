package dev.herald.store.jdbc;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobError;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLevel;
import dev.herald.core.model.LogLine;
import dev.herald.core.model.Progress;
import dev.herald.core.model.RawJson;
import dev.herald.testkit.TestJobs;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.herald.testkit.TestJobs.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoredEventTest {
    private static final Job JOB = TestJobs.everyField("acme");
    /** The same job later on: everything that may change after creation has. */
    private static final Job LATER = JOB.toBuilder().status(JobStatus.FAILED).progress(Progress.NONE).eta(null)
            .children(null).result(null).error(new JobError("gone", "it went")).attempt(3).startedAt(null)
            .finishedAt(T0.plusSeconds(99)).updatedAt(T0.plusSeconds(99)).version(JOB.version() + 40).build();

    /** The row the store writes for the event, read back beside the state of its job's row as it is now. */
    private static EventRow row(JobEvent e, String data, Job jobRow) {
        return new EventRow(e.position(), e.jobId(), e.project(), e.type().wire(), e.version(),
                e.time() == null ? null : e.time().toEpochMilli(), e.log() == null ? null : e.log().seq(), data,
                jobRow == null ? null : StoredJobTest.row(jobRow));
    }

    /** What the store gives back: no ancestors. */
    private static JobEvent roundTrip(JobEvent e, Job jobRow) {
        return StoredEvent.decode(row(e, StoredEvent.encode(e), jobRow));
    }

    @Test
    void keepsEveryKindOfEventWhateverItsJobBecameSince() {
        LogLine line = new LogLine(7, T0.plusMillis(5), LogLevel.WARN, "slow \"page\" 13\n",
                new RawJson("{\"page\":13,\"ms\":1.50}"));
        Job pending = TestJobs.pending("acme").build();
        List<JobEvent> events = List.of(
                JobEvent.status(pending, null).at(1),
                JobEvent.status(JOB, JobStatus.RUNNING).at(2),
                JobEvent.log(JOB, line).at(3),
                JobEvent.log(JOB, new LogLine(8, T0, LogLevel.DEBUG, null, null)).at(4),
                JobEvent.progress(JOB).at(4),
                JobEvent.children(JOB).at(4),
                JobEvent.snapshot(JOB, 4),
                JobEvent.deleted(JOB, T0.plusSeconds(1)).at(4));
        for (JobEvent e : events) {
            Job base = e.jobId().equals(pending.id()) ? pending : JOB;
            assertThat(roundTrip(e, base)).as(e.type().wire()).isEqualTo(e);
            assertThat(roundTrip(e, e.jobId().equals(JOB.id()) ? LATER : base)).as(e.type().wire() + ", later")
                    .isEqualTo(e);
        }
    }

    @Test
    void aJobWithoutAnUpdateTimeIsKeptWhole() {
        Job job = JOB.toBuilder().updatedAt(null).build();
        JobEvent e = JobEvent.status(job, JobStatus.RUNNING).at(2);
        assertThat(StoredEvent.encode(e)).startsWith("{\"v\":1,");
        assertThat(roundTrip(e, null)).isEqualTo(e);
    }

    @Test
    void leavesAncestorsToTheReader() {
        JobEvent e = JobEvent.status(JOB, JobStatus.RUNNING).at(2).within(List.of("p1", "p0"));
        assertThat(roundTrip(e, JOB)).isEqualTo(e.within(List.of()));
    }

    /** Format 2 as it stands: changing what is written means the next format version, and reading both. */
    @Test
    void formatTwoIsPinned() {
        Job job = new Job.Builder().id("j1").type("t").name("n").project("acme").status(JobStatus.RUNNING)
                .progress(new Progress(null, null, 5.0, 10.0, "rows", 50, "half", null)).createdAt(T0)
                .startedAt(T0).updatedAt(T0.plusMillis(7)).version(2).build();
        JobEvent started = JobEvent.status(job, JobStatus.PENDING).at(9);
        JobEvent logged = JobEvent.log(job, new LogLine(1, T0, LogLevel.INFO, "hi", new RawJson("{\"a\":1}"))).at(10);
        String startedStored = "{\"v\":2,\"fr\":\"pending\",\"to\":\"running\",\"jb\":{\"pr\":{\"cu\":5,\"to\":10,"
                + "\"un\":\"rows\",\"pc\":50,\"ms\":\"half\"},\"sa\":-7}}";
        String loggedStored = "{\"v\":2,\"lg\":{\"lv\":\"info\",\"ms\":\"hi\",\"fd\":{\"a\":1}}}";
        assertThat(StoredEvent.encode(started)).isEqualTo(startedStored);
        assertThat(StoredEvent.encode(logged)).isEqualTo(loggedStored);
        assertThat(StoredEvent.decode(row(started, startedStored, job))).isEqualTo(started);
        assertThat(StoredEvent.decode(row(logged, loggedStored, null))).isEqualTo(logged);
    }

    /** Format 1, which stores written before format 2 hold, reads as it did. */
    @Test
    void formatOneIsPinned() {
        Job job = new Job.Builder().id("j1").type("t").project("acme").createdAt(T0).updatedAt(T0).version(1).build();
        JobEvent created = JobEvent.status(job, null).at(1);
        JobEvent logged = JobEvent.log(job, new LogLine(1, T0, LogLevel.INFO, "hi", new RawJson("{\"a\":1}"))).at(2);
        String createdStored = "{\"v\":1,\"ty\":\"status\",\"id\":\"j1\",\"ve\":1,\"tm\":1741944413589,"
                + "\"to\":\"pending\",\"jb\":{\"id\":\"j1\",\"ty\":\"t\",\"pj\":\"acme\",\"st\":\"pending\","
                + "\"ca\":1741944413589,\"ua\":1741944413589,\"ve\":1}}";
        String loggedStored = "{\"v\":1,\"ty\":\"log\",\"id\":\"j1\",\"ve\":1,\"tm\":1741944413589,"
                + "\"lg\":{\"sq\":1,\"tm\":1741944413589,\"lv\":\"info\",\"ms\":\"hi\",\"fd\":{\"a\":1}}}";
        assertThat(StoredEvent.encodeWhole(created)).isEqualTo(createdStored);
        assertThat(StoredEvent.encodeWhole(logged)).isEqualTo(loggedStored);
        assertThat(StoredEvent.decode(row(created, createdStored, null))).isEqualTo(created);
        assertThat(StoredEvent.decode(row(logged, loggedStored, null))).isEqualTo(logged);
    }

    @Test
    void refusesAFormatItDoesNotKnow() {
        JobEvent e = JobEvent.status(JOB, JobStatus.RUNNING).at(2);
        assertThatThrownBy(() -> StoredEvent.decode(row(e, "{\"v\":3,\"to\":\"running\"}", JOB)))
                .isInstanceOf(StoreException.class).hasMessageContaining("format 3");
    }
}
