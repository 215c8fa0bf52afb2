package dev.herald.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** PostgreSQL serves reads and writes from one pool; its own locking orders concurrent writers. */
final class PostgresConnections implements Connections {
    private static final int POOL_SIZE = 10;
    static final String IDLE_IN_TRANSACTION = "2s";

    private final HikariDataSource pool;

    private PostgresConnections(HikariDataSource pool) {
        this.pool = pool;
    }

    static PostgresConnections open(JdbcLocation location) throws SQLException {
        HikariConfig config = new HikariConfig();
        config.setPoolName("herald-postgresql");
        config.setJdbcUrl(location.jdbcUrl());
        config.setUsername(location.user());
        config.setPassword(location.password());
        config.setMaximumPoolSize(POOL_SIZE);
        // Lets the driver send a batch of inserts as multi-row statements: one round trip instead of one per row.
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        config.addDataSourceProperty("ApplicationName", "herald");
        // A writer paused mid-transaction (GC, SIGSTOP) must not hold its trees' rows or the position counter for
        // longer than this: the session ends, the transaction rolls back, and the others go on (docs/cluster.md §2.6).
        config.setConnectionInitSql("SET idle_in_transaction_session_timeout = '" + IDLE_IN_TRANSACTION + "'");
        if (location.schema() != null) {
            config.addDataSourceProperty("currentSchema", location.schema());
        }
        PostgresConnections connections;
        try {
            connections = new PostgresConnections(new HikariDataSource(config));
        } catch (RuntimeException e) {
            throw new StoreException("could not connect to PostgreSQL at " + location,
                    e.getCause() == null ? e : e.getCause());
        }
        if (location.schema() != null) {
            try {
                connections.transaction(c -> createSchema(c, location.schema()));
            } catch (SQLException | RuntimeException e) {
                connections.close();
                throw e;
            }
        }
        return connections;
    }

    /** Under the migration lock, so two processes opening a new schema at once do not collide. */
    private static Void createSchema(Connection c, String schema) throws SQLException {
        Dialect.POSTGRESQL.lockForMigration(c);
        try (Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS \"" + schema + "\"");
        }
        return null;
    }

    @Override
    public <T> T read(Work<T> work) throws SQLException {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        }
    }

    @Override
    public <T> T transaction(Work<T> work) throws SQLException {
        try (Connection c = pool.getConnection()) {
            return Connections.inTransaction(c, work);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
