package dev.herald.store.jdbc;

import dev.herald.core.cluster.NodeLease;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A node's lease on the machine's real PostgreSQL, judged on a clock the test moves: valid until
 * 3 s after the last answered ping was sent, invalid at once when a ping fails, held again
 * (and said so) once its session is made again.
 */
class PostgresNodeLeaseTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final AtomicLong clock = new AtomicLong(-5 * SECOND);
    private final List<String> told = new ArrayList<>();
    private TestPostgres postgres;
    private JdbcDatabase database;
    private PostgresCluster cluster;
    private PostgresNodeLease lease;

    @BeforeEach
    void join() {
        postgres = TestPostgres.reachable();
        database = JdbcStores.openDatabase(postgres.location());
        cluster = PostgresCluster.join(database, "test", "10.0.0.1:9081", clock::get, new NodeLease.Listener() {
            @Override
            public void lost() {
                told.add("lost");
            }

            @Override
            public void regained() {
                told.add("regained");
            }
        }, false);
        lease = cluster.postgresLease();
    }

    @AfterEach
    void leave() throws SQLException {
        cluster.close();
        database.close();
        postgres.dropSchema();
    }

    @Test
    void validForThreeSecondsAfterTheLastAnsweredPingWasSent() {
        assertThat(lease.isValid()).isTrue();
        clock.addAndGet(3 * SECOND - 1);
        assertThat(lease.isValid()).isTrue();
        clock.addAndGet(1);
        assertThat(lease.isValid()).isFalse();
        lease.renew();
        assertThat(lease.isValid()).isTrue();
        clock.addAndGet(3 * SECOND);
        assertThat(lease.isValid()).isFalse();
    }

    @Test
    void aSessionEndedByTheDatabaseIsLostAtTheNextPingThenTakenAgain() throws SQLException {
        assertThat(PostgresOwnershipTest.terminateLease(postgres, lease.nodeId())).isEqualTo(1);
        lease.renew();
        assertThat(lease.isValid()).as("invalid at once, however recent the last ping").isFalse();
        assertThat(told).containsExactly("lost");
        assertThat(lockHeld()).isFalse();

        lease.renew();
        assertThat(lease.isValid()).isTrue();
        assertThat(told).containsExactly("lost", "regained");
        assertThat(lockHeld()).isTrue();
    }

    @Test
    void aJoinedNodePingsOnItsOwnAndComesBackAfterItsSessionIsEnded() throws SQLException {
        List<String> events = new CopyOnWriteArrayList<>();
        try (JdbcDatabase other = JdbcStores.openDatabase(postgres.location());
             PostgresCluster node = PostgresCluster.join(other, "test", "10.0.0.2:9081", System::nanoTime,
                     new NodeLease.Listener() {
                         @Override
                         public void lost() {
                             events.add("lost");
                         }

                         @Override
                         public void regained() {
                             events.add("regained");
                         }
                     })) {
            assertThat(node.lease().isValid()).isTrue();
            assertThat(PostgresOwnershipTest.terminateLease(postgres, node.lease().nodeId())).isEqualTo(1);
            await().atMost(Duration.ofSeconds(20)).until(() -> events.equals(List.of("lost", "regained")));
            assertThat(node.lease().isValid()).isTrue();
        }
    }

    @Test
    void theSessionEndsItselfWhenSilentAndKeepsNoDeadConnectionOpen() throws SQLException {
        assertThat(lease.setting("idle_session_timeout")).isEqualTo("10s");
        assertThat(lease.setting("tcp_keepalives_count")).isEqualTo("2");
        assertThat(lockHeld()).isTrue();
        assertThat(nodeRow()).isEqualTo("10.0.0.1:9081");
    }

    @Test
    void aLeaseWhoseLockIsHeldCannotBeTaken() throws SQLException {
        long key = PostgresCluster.lockKey("test", "other", "node");
        try (Connection holder = postgres.connect(); PreparedStatement s = holder.prepareStatement(
                "SELECT pg_advisory_lock(?)")) {
            s.setLong(1, key);
            s.execute();
            assertThatThrownBy(() -> PostgresNodeLease.take(database.location(), "node", key, "x", clock::get,
                    NodeLease.Listener.NONE, false))
                    .isInstanceOf(StoreException.class).hasMessageContaining("still held");
        }
    }

    @Test
    void closingDeletesTheNodesRowAndFreesItsLock() throws SQLException {
        cluster.close();
        assertThat(lease.isValid()).isFalse();
        assertThat(lockHeld()).isFalse();
        assertThat(nodeRow()).isNull();
    }

    /** Probed as other nodes probe it: a shared lock is granted only while nobody holds it exclusively. */
    private boolean lockHeld() throws SQLException {
        long key = PostgresCluster.lockKey("test", database.location().schema(), lease.nodeId());
        try (Connection c = postgres.connect(); PreparedStatement s = c.prepareStatement(
                "SELECT pg_try_advisory_xact_lock_shared(?)")) {
            s.setLong(1, key);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return !rs.getBoolean(1);
            }
        }
    }

    private String nodeRow() throws SQLException {
        try (Connection c = postgres.connect(); PreparedStatement s = c.prepareStatement(
                "SELECT address FROM herald_nodes WHERE node_id = ?")) {
            s.setString(1, lease.nodeId());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
