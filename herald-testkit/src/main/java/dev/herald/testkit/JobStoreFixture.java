package dev.herald.testkit;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLevel;
import dev.herald.core.model.LogLine;
import dev.herald.core.model.RawJson;
import dev.herald.core.port.JobQuery;
import dev.herald.core.port.JobStore;
import dev.herald.core.port.WriteBatch;

import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;

import static dev.herald.testkit.TestJobs.T0;

/**
 * What every section of {@link JobStoreContract} works with: the store under test, this
 * test's stream positions, and the projects, queries and log lines the sections share.
 */
public interface JobStoreFixture {
    String ACME = "acme";
    String GLOBEX = "globex";
    Comparator<Job> NEWEST_FIRST = Comparator.comparing(Job::createdAt).reversed()
            .thenComparing(Job::id, Comparator.reverseOrder());

    /** The store under test: new and empty at the start of each test. */
    JobStore store();

    /**
     * The event at the next position of this test's stream: where the store puts it when
     * the test writes its events in the order it called this.
     */
    JobEvent positioned(JobEvent event);

    default void save(Job... jobs) {
        WriteBatch batch = new WriteBatch();
        Stream.of(jobs).forEach(batch::job);
        store().write(batch);
    }

    default JobQuery query(Set<String> projects, JobStatus status, String type, String parentId, String owner) {
        return new JobQuery(projects, status, type, parentId, owner, 1_000, null);
    }

    default JobQuery everything(int limit) {
        return new JobQuery(null, null, null, null, null, limit, null);
    }

    default LogLine line(long seq, LogLevel level, String message, RawJson fields) {
        return new LogLine(seq, T0.plusMillis(seq * 37), level, message, fields);
    }
}
