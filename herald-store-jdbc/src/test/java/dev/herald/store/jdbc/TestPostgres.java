package dev.herald.store.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The machine's real PostgreSQL, in a schema of the test's own. Override the
 * server with {@code HERALD_TEST_POSTGRES_URL} (any form {@link JdbcStores#open} takes).
 */
final class TestPostgres {
    private static final String DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/test";
    private static final String START_HINT =
            "Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start";

    private final String url;
    private final String schema = "herald_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);

    private TestPostgres(String url) {
        this.url = url;
    }

    /**
     * The server, with a schema name of its own that the store creates when it
     * opens. Fails the test, never skips it, when the server cannot be reached.
     */
    static TestPostgres reachable() {
        String override = System.getenv("HERALD_TEST_POSTGRES_URL");
        TestPostgres postgres = new TestPostgres(override == null || override.isBlank() ? DEFAULT_URL : override);
        try (Connection c = postgres.connect(); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
        } catch (SQLException e) {
            String where = postgres.url.equals(DEFAULT_URL)
                    ? "127.0.0.1:5432 (database test)"
                    : JdbcLocation.parse(postgres.url) + " (HERALD_TEST_POSTGRES_URL)";
            fail("PostgreSQL at " + where + " is not reachable: " + e.getMessage() + "\n" + START_HINT, e);
        }
        return postgres;
    }

    /** The store location in this schema. */
    String location() {
        return url + (url.contains("?") ? "&" : "?") + "schema=" + schema;
    }

    /** A plain connection in this schema, for what a test does behind the store's back. */
    Connection connect() throws SQLException {
        JdbcLocation where = JdbcLocation.parse(url);
        Properties properties = new Properties();
        if (where.user() != null) {
            properties.setProperty("user", where.user());
        }
        if (where.password() != null) {
            properties.setProperty("password", where.password());
        }
        properties.setProperty("currentSchema", schema);
        properties.setProperty("connectTimeout", "5");
        return DriverManager.getConnection(where.jdbcUrl(), properties);
    }

    void execute(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** The schema, for what a test writes before the store first opens. */
    void createSchema() throws SQLException {
        execute("CREATE SCHEMA IF NOT EXISTS " + schema);
    }

    void dropSchema() throws SQLException {
        execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
}
