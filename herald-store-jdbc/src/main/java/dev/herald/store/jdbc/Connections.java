package dev.herald.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/** Where the store gets its connections; SQLite and PostgreSQL share them out differently. */
interface Connections extends AutoCloseable {

    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs reads on a connection in auto-commit mode, so each statement sees every committed write. */
    <T> T read(Work<T> work) throws SQLException;

    /** Runs the work in one transaction: committed if it returns, rolled back if it throws. */
    <T> T transaction(Work<T> work) throws SQLException;

    @Override
    void close();

    static <T> T inTransaction(Connection connection, Work<T> work) throws SQLException {
        connection.setAutoCommit(false);
        try {
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }
}
