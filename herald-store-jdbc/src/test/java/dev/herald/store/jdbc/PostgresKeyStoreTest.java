package dev.herald.store.jdbc;

import dev.herald.core.auth.KeyStore;
import dev.herald.testkit.KeyStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.sql.SQLException;

/** The key store contract on the machine's real PostgreSQL, in a schema made for this class and dropped after it. */
class PostgresKeyStoreTest extends KeyStoreContract {
    private static TestPostgres postgres;
    private JdbcDatabase database;

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
    protected KeyStore newStore() {
        database = JdbcStores.openDatabase(postgres.location());
        return database.keys();
    }

    /** The schema outlives each test, so the next test starts empty. */
    @Override
    protected void cleanUp() throws SQLException {
        if (database != null) {
            database.close();
        }
        postgres.execute("TRUNCATE api_keys");
    }
}
