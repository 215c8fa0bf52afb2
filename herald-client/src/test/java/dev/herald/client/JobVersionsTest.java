package dev.herald.client;

import dev.herald.core.event.EventType;
import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLevel;
import dev.herald.core.model.LogLine;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** What a watch lets through to its listener: each job's states rising in version, each log line once. */
class JobVersionsTest {
    private final JobVersions versions = new JobVersions();

    static Job job(String id, long version, JobStatus status) {
        return new Job.Builder().id(id).type("t").status(status).version(version).updatedAt(Instant.EPOCH).build();
    }

    static JobEvent log(String id, long version, long seq) {
        return new JobEvent(EventType.LOG, id, null, version, Instant.EPOCH, null, null, null,
                new LogLine(seq, Instant.EPOCH, LogLevel.INFO, "line " + seq, null), 0, null);
    }

    @Test
    void aStateAtOrBelowTheVersionHeldIsDropped() {
        assertThat(versions.admit(JobEvent.snapshot(job("j_1", 5, JobStatus.RUNNING), 0))).isTrue();
        assertThat(versions.admit(JobEvent.progress(job("j_1", 5, JobStatus.RUNNING)))).isFalse();
        assertThat(versions.admit(JobEvent.progress(job("j_1", 4, JobStatus.RUNNING)))).isFalse();
        assertThat(versions.admit(JobEvent.status(job("j_1", 6, JobStatus.COMPLETED), JobStatus.RUNNING))).isTrue();
        assertThat(versions.job("j_1").status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(versions.version("j_1")).isEqualTo(6);
    }

    @Test
    void jobsAreCountedApart() {
        assertThat(versions.admit(JobEvent.progress(job("j_1", 9, JobStatus.RUNNING)))).isTrue();
        assertThat(versions.admit(JobEvent.progress(job("j_2", 1, JobStatus.RUNNING)))).isTrue();
        assertThat(versions.job("j_3")).isNull();
    }

    @Test
    void aLogLineComesOnceByItsSeqAndMovesTheVersionOn() {
        assertThat(versions.admit(log("j_1", 3, 1))).isTrue();
        assertThat(versions.admit(log("j_1", 3, 1))).isFalse();
        assertThat(versions.admit(log("j_1", 4, 2))).isTrue();
        assertThat(versions.seq("j_1")).isEqualTo(2);
        assertThat(versions.admit(JobEvent.progress(job("j_1", 3, JobStatus.RUNNING)))).isFalse();
        assertThat(versions.admit(JobEvent.progress(job("j_1", 5, JobStatus.RUNNING)))).isTrue();
    }

    @Test
    void theStateOfALogLinesVersionPassesOnceAfterTheLine() {
        // a log line moves the version to 4 without a state; the state at 4 (resent after a resume) is still news
        assertThat(versions.admit(JobEvent.progress(job("j_1", 3, JobStatus.RUNNING)))).isTrue();
        assertThat(versions.admit(log("j_1", 4, 1))).isTrue();
        assertThat(versions.admit(JobEvent.progress(job("j_1", 4, JobStatus.RUNNING)))).isTrue();
        assertThat(versions.job("j_1").version()).isEqualTo(4);
        assertThat(versions.admit(JobEvent.progress(job("j_1", 4, JobStatus.RUNNING)))).isFalse();
        // an older line again moves nothing and reopens nothing
        assertThat(versions.admit(log("j_1", 2, 1))).isFalse();
        assertThat(versions.admit(JobEvent.progress(job("j_1", 4, JobStatus.RUNNING)))).isFalse();
    }
}
