package dev.herald.store.jdbc;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLevel;
import dev.herald.core.model.LogLine;
import dev.herald.core.port.JobQuery;
import dev.herald.core.port.JobStore;
import dev.herald.core.port.WriteBatch;
import dev.herald.testkit.TestJobs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static dev.herald.store.jdbc.PreviousFormatRows.*;
import static org.assertj.core.api.Assertions.assertThat;

/** A database written before the storage format existed reads back whole, through the real store, on both databases. */
class PreviousFormatTest {
    private static final List<String> JOB_IDS = List.of(RUNNING.id(), COMPLETED.id(), EVERY_FIELD.id());

    @Test
    void sqliteReadsRowsOfThePreviousFormat(@TempDir Path folder) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + folder.resolve(JdbcLocation.SQLITE_FILE))) {
            PreviousFormatRows.insert(c, Dialect.SQLITE);
            try (JobStore store = JdbcStores.open(folder.toString())) {
                readsBackAndCarriesOn(store);
            }
            assertRewrittenInTheCurrentFormat(c);
        }
    }

    @Test
    void postgresqlReadsRowsOfThePreviousFormat() throws Exception {
        TestPostgres postgres = TestPostgres.reachable();
        postgres.createSchema();
        try (Connection c = postgres.connect()) {
            PreviousFormatRows.insert(c, Dialect.POSTGRESQL);
            // as V4 seeds the counter when it finds these rows
            postgres.execute("UPDATE event_head SET position = (SELECT MAX(position) FROM events)");
            try (JobStore store = JdbcStores.open(postgres.location())) {
                readsBackAndCarriesOn(store);
            }
            assertRewrittenInTheCurrentFormat(c);
        } finally {
            postgres.dropSchema();
        }
    }

    private static void readsBackAndCarriesOn(JobStore store) {
        for (Job job : JOBS) {
            assertThat(store.find(job.id())).as(job.id()).contains(job);
        }
        assertThat(store.list(new JobQuery(null, null, null, null, null, 10, null)).items())
                .containsExactlyInAnyOrderElementsOf(JOBS);
        assertThat(store.finishedBefore(TestJobs.T0.plusSeconds(3600), 10))
                .containsExactly(ODD, COMPLETED, EVERY_FIELD);
        assertThat(store.eventsAfter(JOB_IDS, 0, 10)).containsExactlyElementsOf(EVENTS);
        assertThat(store.projectEventsAfter("globex", 0, 10)).containsExactly(FINISHED);
        assertThat(store.logs(RUNNING.id(), 0, 10)).containsExactly(LOGGED.log(), LOGGED_BARE.log());
        assertThat(store.lastPosition()).isEqualTo(6);

        // the job's next version and event are written in today's format, beside the old rows
        Job completed = TestJobs.next(RUNNING).status(JobStatus.COMPLETED).finishedAt(TestJobs.T0.plusSeconds(9))
                .build();
        JobEvent finished = JobEvent.status(completed, JobStatus.RUNNING).at(7);
        JobEvent logged = JobEvent.log(completed, new LogLine(3, TestJobs.T0.plusSeconds(9), LogLevel.INFO, "done",
                null)).at(8);
        store.write(new WriteBatch().job(completed).event(finished).event(logged));
        assertThat(store.find(RUNNING.id())).contains(completed);
        assertThat(store.eventsAfter(List.of(RUNNING.id()), 0, 10))
                .containsExactly(CREATED, STARTED, LOGGED, LOGGED_BARE, finished, logged);
        assertThat(store.logs(RUNNING.id(), 1, 10)).containsExactly(LOGGED_BARE.log(), logged.log());
    }

    /** The job that changed now has a row in the current format; the others keep theirs until they change. */
    private static void assertRewrittenInTheCurrentFormat(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, state FROM jobs ORDER BY id")) {
            while (rs.next()) {
                assertThat(rs.getString(2)).as(rs.getString(1))
                        .startsWith(rs.getString(1).equals(RUNNING.id()) ? "{\"v\":2" : "{\"id\":");
            }
        }
    }
}
