package dev.herald.core.event;

import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLevel;
import dev.herald.core.model.LogLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class JobEventTest {
    private static final Instant T = Instant.parse("2025-01-01T00:00:00.000Z");
    private static final Job JOB = new Job.Builder().id("j_e").type("t").project("acme").status(JobStatus.RUNNING)
            .createdAt(T).updatedAt(T.plusSeconds(5)).version(7).build();

    @ParameterizedTest
    @CsvSource({"SNAPSHOT,false,false,snapshot", "STATUS,true,false,status", "PROGRESS,false,true,progress",
            "CHILDREN,false,true,children", "LOG,true,false,log", "DELETED,false,false,deleted"})
    void eventTypes(EventType t, boolean retained, boolean conflatable, String wire) {
        assertThat(t.isRetained()).isEqualTo(retained);
        assertThat(t.isConflatable()).isEqualTo(conflatable);
        assertThat(t.wire()).isEqualTo(wire);
        assertThat(EventType.fromWire(wire)).contains(t);
    }

    @Test
    void unknownEventType() {
        assertThat(EventType.fromWire("PROGRESS")).isEmpty();
        assertThat(EventType.fromWire("heartbeat")).isEmpty();
        assertThat(EventType.fromWire(null)).isEmpty();
    }

    @Test
    void statusEventCarriesFromToAndState() {
        JobEvent e = JobEvent.status(JOB, JobStatus.PENDING);
        assertThat(e.type()).isEqualTo(EventType.STATUS);
        assertThat(e.from()).isEqualTo(JobStatus.PENDING);
        assertThat(e.to()).isEqualTo(JobStatus.RUNNING);
        assertThat(e.job()).isSameAs(JOB);
        assertThat(e.version()).isEqualTo(7);
        assertThat(e.project()).isEqualTo("acme");
        assertThat(e.jobId()).isEqualTo("j_e");
        assertThat(e.time()).isEqualTo(JOB.updatedAt());
        assertThat(JobEvent.status(JOB, null).from()).isNull();
    }

    @Test
    void logEventCarriesTheLineNotTheJob() {
        LogLine line = new LogLine(3, T.plusSeconds(9), LogLevel.WARN, "careful", null);
        JobEvent e = JobEvent.log(JOB, line);
        assertThat(e.type()).isEqualTo(EventType.LOG);
        assertThat(e.job()).isNull();
        assertThat(e.log()).isEqualTo(line);
        assertThat(e.time()).isEqualTo(line.time());
        assertThat(e.version()).isEqualTo(7);
    }

    @Test
    void deletedAndProgressAndSnapshot() {
        JobEvent d = JobEvent.deleted(JOB, T.plusSeconds(60));
        assertThat(d.type()).isEqualTo(EventType.DELETED);
        assertThat(d.job()).isNull();
        assertThat(d.version()).as("the deletion is the job's last change").isEqualTo(JOB.version() + 1);
        assertThat(d.time()).isEqualTo(T.plusSeconds(60));
        JobEvent p = JobEvent.progress(JOB);
        assertThat(p.job()).isSameAs(JOB);
        assertThat(p.from()).isNull();
        JobEvent s = JobEvent.snapshot(JOB, 99);
        assertThat(s.position()).isEqualTo(99);
        assertThat(s.type()).isEqualTo(EventType.SNAPSHOT);
    }

    @Test
    void atChangesOnlyThePosition() {
        JobEvent e = JobEvent.status(JOB, JobStatus.QUEUED);
        assertThat(e.position()).isZero();
        JobEvent moved = e.at(12);
        assertThat(moved.position()).isEqualTo(12);
        assertThat(moved.at(0)).isEqualTo(e);
    }
}
