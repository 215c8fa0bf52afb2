package dev.herald.store.jdbc;

import dev.herald.core.port.JobStore;
import dev.herald.testkit.SharedStoreContract;

import java.sql.SQLException;

/** Two nodes' stores, each with its own pool, on one schema of the machine's real PostgreSQL. */
class PostgresSharedStoreTest extends SharedStoreContract {
    private TestPostgres postgres;

    @Override
    protected JobStore newStore() {
        postgres = TestPostgres.reachable();
        return JdbcStores.open(postgres.location());
    }

    @Override
    protected JobStore anotherNode() {
        return JdbcStores.open(postgres.location());
    }

    @Override
    protected void cleanUp() throws SQLException {
        postgres.dropSchema();
    }
}
