package dev.herald.store.jdbc;

import dev.herald.core.cluster.NodeLease;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A node's lease on PostgreSQL (docs/cluster.md §2.3): a session-level advisory lock on one
 * dedicated connection, never a pooled one (whoever borrowed it next would hold the lock). The
 * session ends, and the lock with it, at once when the process dies and after 10 s of silence
 * when it is paused or cut off; the node stops trusting its lease 3 s after the last ping the
 * database answered was sent, well before. A lost connection is made again and the lock re-taken.
 */
public final class PostgresNodeLease implements NodeLease {
    static final long VALIDITY_NANOS = TimeUnit.SECONDS.toNanos(3);
    private static final long PING_MILLIS = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(PostgresNodeLease.class);
    private static final List<String> SESSION = List.of(
            "SET idle_session_timeout = '10s'",
            "SET tcp_keepalives_idle = 5",
            "SET tcp_keepalives_interval = 2",
            "SET tcp_keepalives_count = 2");

    private final JdbcLocation location;
    private final String nodeId;
    private final long lockKey;
    private final String address;
    private final LongSupplier nanoClock;
    private final Listener listener;
    private final ScheduledExecutorService timer;
    /** Monotonic nanos until which the node may act as owner; {@code now - validUntil < 0} while valid. */
    private volatile long validUntil;
    /** The lease's session; touched under this object's lock only. */
    private Connection session;
    private boolean lost;
    private boolean closed;

    private PostgresNodeLease(JdbcLocation location, String nodeId, long lockKey, String address,
                              LongSupplier nanoClock, Listener listener, boolean pinging) {
        this.location = location;
        this.nodeId = nodeId;
        this.lockKey = lockKey;
        this.address = address;
        this.nanoClock = nanoClock;
        this.listener = listener;
        this.validUntil = nanoClock.getAsLong();
        this.timer = pinging ? Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "herald-node-lease");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    /**
     * Takes the lease, or fails: the database cannot be reached, is older than PostgreSQL 14, or the
     * lock is held. With {@code pinging}, renews it every second on a thread of its own; else the
     * caller does, with {@link #renew} (tests, on a clock of their own).
     */
    static PostgresNodeLease take(JdbcLocation location, String nodeId, long lockKey, String address,
                                  LongSupplier nanoClock, Listener listener, boolean pinging) {
        PostgresNodeLease lease = new PostgresNodeLease(location, nodeId, lockKey, address, nanoClock, listener,
                pinging);
        synchronized (lease) {
            long sent = nanoClock.getAsLong();
            try {
                lease.connect();
            } catch (SQLException e) {
                throw new StoreException("could not take this node's lease at " + location
                        + " (a cluster needs PostgreSQL 14 or newer, connected directly or session-pooled)", e);
            }
            lease.validUntil = sent + VALIDITY_NANOS;
        }
        if (pinging) {
            lease.timer.scheduleWithFixedDelay(lease::renew, PING_MILLIS, PING_MILLIS, TimeUnit.MILLISECONDS);
        }
        return lease;
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public boolean isValid() {
        return nanoClock.getAsLong() - validUntil < 0;
    }

    /** One ping, or after a loss one attempt to connect and lock again; never throws. */
    void renew() {
        Runnable told = ping();
        if (told != null) {
            // outside the monitor: the listener takes duties' locks, and a duty's lock (tryLock) takes this monitor
            // while its holder holds the duties', so telling inside it deadlocked with the duties' own retry
            tell(told);
        }
    }

    /** What {@link #renew} does under the monitor; answers the listener's call it calls for, or null. */
    private synchronized Runnable ping() {
        if (closed) {
            return null;
        }
        long sent = nanoClock.getAsLong();
        try {
            if (session == null) {
                connect();
            } else {
                try (Statement s = session.createStatement()) {
                    s.execute("SELECT 1");
                }
            }
        } catch (SQLException | RuntimeException e) {
            validUntil = nanoClock.getAsLong();
            closeSession();
            if (!lost) {
                lost = true;
                LOG.warn("Node {} lost its lease: {}", nodeId, e.getMessage());
                return listener::lost;
            }
            return null;
        }
        validUntil = sent + VALIDITY_NANOS;
        if (lost) {
            lost = false;
            LOG.info("Node {} holds its lease again", nodeId);
            return listener::regained;
        }
        return null;
    }

    /** A listener that throws must not stop the pings. */
    private void tell(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.error("Node {}'s lease listener failed", nodeId, e);
        }
    }

    /**
     * Takes a session-level advisory lock on the lease's session (a duty's, docs/cluster.md §6), held until the
     * session ends; false when it is held elsewhere or the session is lost (the next ping finds out).
     */
    synchronized boolean tryLock(long key) {
        if (session == null || closed) {
            return false;
        }
        try (PreparedStatement s = session.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            s.setLong(1, key);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            LOG.debug("Node {} could not try a duty's lock", nodeId, e);
            return false;
        }
    }

    /** A setting of the lease's session, as the session sees it. */
    synchronized String setting(String name) throws SQLException {
        try (PreparedStatement s = session.prepareStatement("SELECT current_setting(?)")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private void connect() throws SQLException {
        Connection c = DriverManager.getConnection(location.jdbcUrl(), properties());
        try {
            try (Statement s = c.createStatement()) {
                for (String setting : SESSION) {
                    s.execute(setting);
                }
            }
            try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                s.setLong(1, lockKey);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next() || !rs.getBoolean(1)) {
                        // the session that held it is not gone yet (it ends within 10 s of silence)
                        throw new StoreException("the lock of node " + nodeId + " is still held", null);
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO herald_nodes (node_id, lock_key, address, "
                    + "started_at) VALUES (?, ?, ?, ?) ON CONFLICT (node_id) DO NOTHING")) {
                s.setString(1, nodeId);
                s.setLong(2, lockKey);
                s.setString(3, address);
                s.setLong(4, System.currentTimeMillis());
                s.executeUpdate();
            }
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        session = c;
    }

    private Properties properties() {
        Properties p = new Properties();
        if (location.user() != null) {
            p.setProperty("user", location.user());
        }
        if (location.password() != null) {
            p.setProperty("password", location.password());
        }
        if (location.schema() != null) {
            p.setProperty("currentSchema", location.schema());
        }
        p.setProperty("ApplicationName", "herald-lease " + nodeId);
        // a ping that gets no answer fails within seconds instead of hanging the lease's thread
        p.setProperty("connectTimeout", "5");
        p.setProperty("socketTimeout", "5");
        p.setProperty("tcpKeepAlive", "true");
        return p;
    }

    /** Ends the lease: the node's row goes, and its locks are released before the session closes. */
    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
        synchronized (this) {
            closed = true;
            validUntil = nanoClock.getAsLong();
            if (session != null) {
                try (PreparedStatement s = session.prepareStatement("DELETE FROM herald_nodes WHERE node_id = ?")) {
                    s.setString(1, nodeId);
                    s.executeUpdate();
                } catch (SQLException e) {
                    LOG.warn("Node {} could not delete its row: {}", nodeId, e.getMessage());
                }
                // the server ends a closed session's backend, and frees its locks, a moment after the client has
                // gone: unlocked here, the lease and its duties are free for other nodes when close returns
                try (PreparedStatement s = session.prepareStatement("SELECT pg_advisory_unlock_all()")) {
                    s.execute();
                } catch (SQLException e) {
                    LOG.debug("Node {} could not unlock its lease before closing it", nodeId, e);
                }
                closeSession();
            }
        }
    }

    private void closeSession() {
        if (session == null) {
            return;
        }
        try {
            session.close();
        } catch (SQLException e) {
            LOG.debug("Closing node {}'s lease session failed", nodeId, e);
        }
        session = null;
    }
}
