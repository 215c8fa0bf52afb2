package dev.herald.store.jdbc;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLevel;
import dev.herald.core.model.LogLine;
import dev.herald.core.port.JobQuery;
import dev.herald.core.port.JobStore;
import dev.herald.core.port.WriteBatch;
import dev.herald.testkit.RunHistoryContract;
import dev.herald.testkit.TestJobs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What only the embedded store promises: a data folder that survives restarts, durable and readable mid-write. */
class SqliteStoreTest {
    @TempDir
    Path temp;

    @Test
    void aReopenedFolderHasEverythingItHad() {
        Path folder = temp.resolve("data/herald");
        Job job = TestJobs.everyField("acme");
        LogLine line = new LogLine(1, TestJobs.T0, LogLevel.INFO, "started", null);
        JobEvent status = JobEvent.status(job, JobStatus.RUNNING).at(1);
        JobEvent log = JobEvent.log(job, line).at(2);
        String epoch;
        try (JobStore store = JdbcStores.open(folder.toString())) {
            store.write(new WriteBatch().job(job).event(status).event(log)
                    .key(new WriteBatch.IdempotencyKey("acme", "import-7", job.id())));
            store.recordRun(RunHistoryContract.run("acme", "import", 1, 5000, true));
            epoch = store.epoch();
        }
        assertThat(folder.resolve(JdbcLocation.SQLITE_FILE)).isRegularFile();

        try (JobStore store = JdbcStores.open(folder.toString())) {
            assertThat(store.epoch()).isEqualTo(epoch).matches("[a-z0-9]{12}");
            assertThat(store.lastPosition()).isEqualTo(2);
            assertThat(store.find(job.id())).contains(job);
            assertThat(store.eventsAfter(List.of(job.id()), 0, 10)).containsExactly(status, log);
            assertThat(store.logs(job.id(), 0, 10)).containsExactly(line);
            assertThat(store.jobIdForIdempotencyKey("acme", "import-7")).contains(job.id());
            assertThat(store.history("acme", "import").recent())
                    .containsExactly(RunHistoryContract.run("acme", "import", 1, 5000, true));
        }
    }

    @Test
    void aFileLocationAndTheFolderHoldingItAreOneStore() {
        String epoch;
        try (JobStore store = JdbcStores.open(temp.toString())) {
            epoch = store.epoch();
        }
        try (JobStore store = JdbcStores.open("sqlite:" + temp.resolve(JdbcLocation.SQLITE_FILE))) {
            assertThat(store.epoch()).isEqualTo(epoch);
        }
        try (JobStore store = JdbcStores.open("jdbc:sqlite:" + temp.resolve(JdbcLocation.SQLITE_FILE))) {
            assertThat(store.epoch()).isEqualTo(epoch);
        }
    }

    @Test
    void aFailedBatchLeavesNothingBehindAndTheNextTakesThePositionAfterTheStoredOnes() throws SQLException {
        try (JobStore store = JdbcStores.open(temp.toString())) {
            Job first = TestJobs.pending("acme").build();
            store.write(new WriteBatch().job(first).event(JobEvent.status(first, null)));
            // another writer behind the store's back took the position the store counts on next
            try (SqliteConnections other = SqliteConnections.open("jdbc:sqlite:" + temp.resolve("herald.db"))) {
                other.transaction(c -> execute(c, "INSERT INTO events (position, job_ref, project_ref, type, version, "
                        + "data) SELECT 2, job_ref, project_ref, type, version, data FROM events WHERE position = 1"));
            }
            Job second = TestJobs.pending("acme").build();
            WriteBatch takesAPositionTaken = new WriteBatch().job(second).event(JobEvent.status(second, null))
                    .key(new WriteBatch.IdempotencyKey("acme", "k", second.id()));

            assertThatThrownBy(() -> store.write(takesAPositionTaken)).isInstanceOf(StoreException.class)
                    .hasMessageStartingWith("could not write a batch (1 jobs, 1 events, 1 keys, 0 deletions)");
            assertThat(store.find(second.id())).isEmpty();
            assertThat(store.jobIdForIdempotencyKey("acme", "k")).isEmpty();
            assertThat(store.list(new JobQuery(Set.of("acme"), null, null, null, null, 10, null))
                    .items()).containsExactly(first);
            assertThat(store.write(takesAPositionTaken).events()).extracting(JobEvent::position).containsExactly(3L);
        }
    }

    @Test
    void writesAreDurableAndReadsDoNotWaitForThem() throws Exception {
        try (SqliteConnections connections = SqliteConnections.open("jdbc:sqlite:" + temp.resolve("t.db"))) {
            connections.transaction(c -> execute(c, "CREATE TABLE t (x INTEGER)"));
            Object synchronous = connections.transaction(c -> query(c, "PRAGMA synchronous"));
            Object journal = connections.read(c -> query(c, "PRAGMA journal_mode"));
            assertThat(synchronous).as("synchronous=FULL").isEqualTo(2);
            assertThat(journal).isEqualTo("wal");

            Object seenMidWrite = connections.transaction(c -> {
                execute(c, "INSERT INTO t VALUES (1)");
                return connections.read(r -> query(r, "SELECT COUNT(*) FROM t"));
            });
            assertThat(seenMidWrite).isEqualTo(0);
            Object seenAfter = connections.read(c -> query(c, "SELECT COUNT(*) FROM t"));
            assertThat(seenAfter).isEqualTo(1);
        }
    }

    private static boolean execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            return s.execute(sql);
        }
    }

    private static Object query(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getObject(1);
        }
    }
}
