package dev.herald.store.jdbc;

import dev.herald.core.cluster.NodeLease;
import dev.herald.core.cluster.Ownership;
import dev.herald.core.cluster.Placements;
import dev.herald.core.port.JobStore;
import dev.herald.testkit.OwnershipContract;

import java.sql.SQLException;

/**
 * Two nodes on one schema of the machine's real PostgreSQL, each with its own pool and lease
 * connection. A lease is killed as a node's death would end it: {@code pg_terminate_backend} on
 * its session, which frees its advisory lock at once.
 */
class PostgresOwnershipTest extends OwnershipContract {
    private TestPostgres postgres;

    @Override
    protected Node newNode() {
        postgres = TestPostgres.reachable();
        return anotherNode();
    }

    @Override
    protected Node anotherNode() {
        JdbcDatabase database = JdbcStores.openDatabase(postgres.location());
        String address = "10.0.0." + (int) (Math.random() * 250) + ":9081";
        // no pings: the test's calls are the only users of the lease's session
        PostgresCluster cluster = PostgresCluster.join(database, "test", address, System::nanoTime,
                NodeLease.Listener.NONE, false);
        return new PostgresNode(database, cluster, address);
    }

    @Override
    protected void killLease(Node node) throws SQLException {
        terminateLease(postgres, node.lease().nodeId());
    }

    /**
     * Ends a node's lease session from another connection; answers how many sessions ended. Without
     * a timeout {@code pg_terminate_backend} only signals the session, which may still hold its lock
     * when the call returns; with one it waits for the session to be gone.
     */
    static int terminateLease(TestPostgres postgres, String nodeId) throws SQLException {
        try (var c = postgres.connect(); var s = c.prepareStatement("SELECT count(*) FILTER "
                + "(WHERE pg_terminate_backend(pid, 5000)) FROM pg_stat_activity WHERE application_name = ?")) {
            s.setString(1, "herald-lease " + nodeId);
            try (var rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Override
    protected void cleanUp() throws SQLException {
        postgres.dropSchema();
    }

    private record PostgresNode(JdbcDatabase database, PostgresCluster cluster, String address) implements Node {
        @Override
        public JobStore store() {
            return database.jobs();
        }

        @Override
        public NodeLease lease() {
            return cluster.lease();
        }

        @Override
        public Ownership ownership() {
            return cluster.ownership();
        }

        @Override
        public Placements.Source placements() {
            return cluster.placements();
        }

        @Override
        public void close() {
            cluster.close();
            database.close();
        }
    }
}
