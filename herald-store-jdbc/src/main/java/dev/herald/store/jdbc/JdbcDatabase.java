package dev.herald.store.jdbc;

import dev.herald.core.auth.KeyStore;
import dev.herald.core.port.JobStore;

/**
 * One opened database and the stores over it, which share its connections.
 * Close the database when done; closing {@link #jobs()} also closes it, as it
 * did before keys shared the connections, so the key store must not outlive it.
 */
public final class JdbcDatabase implements AutoCloseable {
    private final Connections connections;
    private final JdbcLocation location;
    private final Dialect dialect;
    private final JdbcJobStore jobs;
    private final JdbcKeyStore keys;

    JdbcDatabase(Connections connections, JdbcLocation location, Dialect dialect) {
        this.connections = connections;
        this.location = location;
        this.dialect = dialect;
        this.jobs = new JdbcJobStore(connections, dialect);
        this.keys = new JdbcKeyStore(connections);
    }

    public JobStore jobs() {
        return jobs;
    }

    public KeyStore keys() {
        return keys;
    }

    JdbcJobStore jobStore() {
        return jobs;
    }

    Connections connections() {
        return connections;
    }

    JdbcLocation location() {
        return location;
    }

    Dialect dialect() {
        return dialect;
    }

    /** Closes the connections of both stores. */
    @Override
    public void close() {
        connections.close();
    }
}
