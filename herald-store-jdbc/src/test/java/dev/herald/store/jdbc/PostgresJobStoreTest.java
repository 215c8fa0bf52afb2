package dev.herald.store.jdbc;

import dev.herald.core.port.JobStore;
import dev.herald.testkit.JobStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.sql.SQLException;

/** The contract on the machine's real PostgreSQL, in a schema made for this class and dropped after it. */
class PostgresJobStoreTest extends JobStoreContract {
    private static TestPostgres postgres;

    @BeforeAll
    static void reachPostgres() {
        postgres = TestPostgres.reachable();
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        if (postgres != null) {
            postgres.dropSchema();
        }
    }

    @Override
    protected JobStore newStore() {
        return JdbcStores.open(postgres.location());
    }

    /** The schema outlives each test, so the next test starts empty. */
    @Override
    protected void cleanUp() throws SQLException {
        postgres.execute("TRUNCATE jobs, events, idempotency_keys, history_totals, history_runs, job_inputs");
        postgres.execute("UPDATE event_head SET position = 0");
    }
}
