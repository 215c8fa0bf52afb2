package dev.herald.store.jdbc;

import org.junit.jupiter.api.Test;

import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pooled session of the PostgreSQL store ends a transaction its client left idle for 2 s, so a paused writer
 * cannot hold its trees' rows or the position counter longer (docs/cluster.md §2.6); migrations are exempt.
 */
class PostgresPoolTest {
    @Test
    void pooledSessionsEndTransactionsLeftIdle() throws Exception {
        TestPostgres postgres = TestPostgres.reachable();
        try (JdbcDatabase database = JdbcStores.openDatabase(postgres.location())) {
            for (int i = 0; i < 3; i++) {
                String setting = database.connections().read(c -> {
                    try (Statement s = c.createStatement();
                         ResultSet rs = s.executeQuery("SHOW idle_in_transaction_session_timeout")) {
                        rs.next();
                        return rs.getString(1);
                    }
                });
                assertThat(setting).isEqualTo("2s");
            }
        } finally {
            postgres.dropSchema();
        }
    }

    /** A node starved at its start must not be cut off inside the migration's transaction, and exit. */
    @Test
    void theMigrationsTransactionMayWaitIdle() throws Exception {
        TestPostgres postgres = TestPostgres.reachable();
        try (JdbcDatabase database = JdbcStores.openDatabase(postgres.location())) {
            String setting = database.connections().transaction(c -> {
                Migrations.apply(c, Dialect.POSTGRESQL);
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SHOW idle_in_transaction_session_timeout")) {
                    rs.next();
                    return rs.getString(1);
                }
            });
            assertThat(setting).isEqualTo("0");
        } finally {
            postgres.dropSchema();
        }
    }
}
