package dev.herald.store.jdbc;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLevel;
import dev.herald.core.model.LogLine;
import dev.herald.core.model.RawJson;
import dev.herald.testkit.TestJobs;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.herald.testkit.TestJobs.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoredEventTest {
    private static final Job JOB = TestJobs.everyField("acme");

    /** What the store gives back: the project and position from their columns, no ancestors. */
    private static JobEvent roundTrip(JobEvent e) {
        return StoredEvent.decode(StoredEvent.encode(e), e.project(), e.position());
    }

    @Test
    void keepsEveryKindOfEvent() {
        LogLine line = new LogLine(7, T0.plusMillis(5), LogLevel.WARN, "slow \"page\" 13\n",
                new RawJson("{\"page\":13,\"ms\":1.50}"));
        List<JobEvent> events = List.of(
                JobEvent.status(TestJobs.pending("acme").build(), null).at(1),
                JobEvent.status(JOB, JobStatus.RUNNING).at(2),
                JobEvent.log(JOB, line).at(3),
                JobEvent.log(JOB, new LogLine(8, T0, LogLevel.DEBUG, null, null)).at(4),
                JobEvent.progress(JOB).at(4),
                JobEvent.children(JOB).at(4),
                JobEvent.snapshot(JOB, 4),
                JobEvent.deleted(JOB, T0.plusSeconds(1)).at(4));
        for (JobEvent e : events) {
            assertThat(roundTrip(e)).as(e.type().wire()).isEqualTo(e);
        }
    }

    @Test
    void leavesAncestorsToTheReader() {
        JobEvent e = JobEvent.status(JOB, JobStatus.RUNNING).at(2).within(List.of("p1", "p0"));
        assertThat(roundTrip(e)).isEqualTo(e.within(List.of()));
    }

    /** Format 1 as it stands: changing what is written means the next format version, and reading both. */
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
        assertThat(StoredEvent.encode(created)).isEqualTo(createdStored);
        assertThat(StoredEvent.encode(logged)).isEqualTo(loggedStored);
        assertThat(StoredEvent.decode(createdStored, "acme", 1)).isEqualTo(created);
        assertThat(StoredEvent.decode(loggedStored, "acme", 2)).isEqualTo(logged);
    }

    @Test
    void refusesAFormatItDoesNotKnow() {
        assertThatThrownBy(() -> StoredEvent.decode("{\"v\":2,\"ty\":\"log\"}", "acme", 1))
                .isInstanceOf(StoreException.class).hasMessageContaining("format 2");
    }
}
