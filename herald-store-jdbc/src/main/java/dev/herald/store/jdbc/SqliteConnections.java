package dev.herald.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * SQLite allows one writer at a time, so every write goes through one dedicated
 * connection; in WAL mode readers do not wait for it, so a few pooled connections
 * serve reads alongside.
 */
final class SqliteConnections implements Connections {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteConnections.class);
    private static final int READERS = 4;
    private static final int BUSY_TIMEOUT_MS = 10_000;

    private final Connection writer;
    private final HikariDataSource readers;

    private SqliteConnections(Connection writer, HikariDataSource readers) {
        this.writer = writer;
        this.readers = readers;
    }

    static SqliteConnections open(String jdbcUrl) throws SQLException {
        SQLiteConfig writing = new SQLiteConfig();
        writing.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // FULL syncs the WAL on every commit: an answered transition survives power loss, not just a crash.
        writing.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        writing.setBusyTimeout(BUSY_TIMEOUT_MS);
        // Taking the write lock at BEGIN means a transaction never fails half-way to upgrade a read lock.
        writing.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        Connection writer = writing.createConnection(jdbcUrl);

        SQLiteConfig reading = new SQLiteConfig();
        reading.setBusyTimeout(BUSY_TIMEOUT_MS);
        HikariConfig pool = new HikariConfig();
        pool.setPoolName("herald-sqlite-readers");
        pool.setJdbcUrl(jdbcUrl);
        pool.setDataSourceProperties(reading.toProperties());
        pool.setMaximumPoolSize(READERS);
        try {
            return new SqliteConnections(writer, new HikariDataSource(pool));
        } catch (RuntimeException e) {
            writer.close();
            throw e;
        }
    }

    @Override
    public <T> T read(Work<T> work) throws SQLException {
        try (Connection c = readers.getConnection()) {
            return work.run(c);
        }
    }

    @Override
    public synchronized <T> T transaction(Work<T> work) throws SQLException {
        return Connections.inTransaction(writer, work);
    }

    @Override
    public synchronized void close() {
        readers.close();
        try {
            writer.close();
        } catch (SQLException e) {
            LOG.warn("closing the SQLite writer connection failed", e);
        }
    }
}
