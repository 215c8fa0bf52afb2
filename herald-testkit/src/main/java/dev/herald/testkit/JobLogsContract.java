package dev.herald.testkit;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLevel;
import dev.herald.core.model.LogLine;
import dev.herald.core.model.RawJson;
import dev.herald.core.port.WriteBatch;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link JobStoreContract} section on log lines: kept per job in seq order, and retained
 * as events like any other.
 */
public interface JobLogsContract extends JobStoreFixture {
    record Logged(Job job, Job other, List<LogLine> lines) {
    }

    private Logged writeLogs() {
        Logged logged = new Logged(TestJobs.running(ACME).build(), TestJobs.running(ACME).build(), List.of(
                line(1, LogLevel.INFO, "downloading customers.csv", null),
                line(2, LogLevel.DEBUG, "chunk 1/3", new RawJson("{\"bytes\":1048576}")),
                line(3, LogLevel.WARN, "row 17: missing email — skipped", new RawJson("{\"row\":17}")),
                line(4, LogLevel.ERROR, "retrying after timeout", null),
                line(5, LogLevel.INFO, "done ✓", new RawJson("[\"x\",null,true]"))));
        WriteBatch batch = new WriteBatch().job(logged.job()).job(logged.other())
                .event(positioned(JobEvent.status(logged.job(), JobStatus.PENDING)));
        for (int i = 0; i < logged.lines().size(); i++) {
            batch.event(positioned(JobEvent.log(logged.job(), logged.lines().get(i))));
            if (i < 2) {
                batch.event(positioned(JobEvent.log(logged.other(), line(i + 1, LogLevel.INFO, "other " + i, null))));
            }
        }
        store().write(batch);
        return logged;
    }

    @Test
    default void logLinesComeBackInOrderAfterASeqAndLimited() {
        Logged logged = writeLogs();
        String id = logged.job().id();
        assertThat(store().logs(id, 0, 100)).containsExactlyElementsOf(logged.lines());
        assertThat(store().logs(id, 2, 100)).containsExactlyElementsOf(logged.lines().subList(2, 5));
        assertThat(store().logs(id, 0, 2)).containsExactlyElementsOf(logged.lines().subList(0, 2));
        assertThat(store().logs(id, 5, 100)).isEmpty();
        assertThat(store().logs(logged.other().id(), 0, 100)).extracting(LogLine::message)
                .containsExactly("other 0", "other 1");
    }

    @Test
    default void lastLogSeqIsTheHighestSeqOfTheJob() {
        Logged logged = writeLogs();
        assertThat(store().lastLogSeq(logged.job().id())).isEqualTo(5);
        assertThat(store().lastLogSeq(logged.other().id())).isEqualTo(2);
        Job silent = TestJobs.pending(ACME).build();
        store().write(new WriteBatch().job(silent).event(positioned(JobEvent.status(silent, null))));
        assertThat(store().lastLogSeq(silent.id())).isZero();
    }

    @Test
    default void logEventsAreRetainedEventsToo() {
        Job job = TestJobs.running(ACME).build();
        RawJson fields = new RawJson("{\"disk\":\"/data\"}");
        JobEvent e = positioned(JobEvent.log(job, line(3, LogLevel.WARN, "disk 91% full", fields)));
        store().write(new WriteBatch().job(job).event(e));
        assertThat(store().eventsAfter(List.of(job.id()), 0, 10)).containsExactly(e);
    }
}
