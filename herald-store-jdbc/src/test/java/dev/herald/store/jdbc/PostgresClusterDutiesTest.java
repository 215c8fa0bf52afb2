package dev.herald.store.jdbc;

import dev.herald.core.cluster.Duties;
import dev.herald.core.cluster.Forward;
import dev.herald.core.cluster.Peers;
import dev.herald.core.command.NewJob;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.port.WriteBatch;
import dev.herald.core.port.WriteConflict;
import dev.herald.core.rules.Transitions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cluster's duties (docs/cluster.md §6) on two engines as two nodes on one schema of the machine's real
 * PostgreSQL, leases pinged by the test: a duty's lock moves with the lease's session and is not taken back;
 * retention deletes through each tree's owner, claiming a tree whose owner is gone; adoption takes such a tree,
 * finishes the parent whose last child ended just before its owner died, and lets it go once the gap is stored.
 */
class PostgresClusterDutiesTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration PAST_RETENTION = Duration.ofDays(8);
    private static final long GAP = 1_000_000;

    private final List<ClusterEngine> nodes = new ArrayList<>();
    /** The nodes by address, as the in-process peers reach them. */
    private final Map<String, ClusterEngine> byAddress = new ConcurrentHashMap<>();
    private final AtomicInteger expiresForwarded = new AtomicInteger();
    private TestPostgres postgres;

    @BeforeEach
    void database() {
        postgres = TestPostgres.reachable();
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        try {
            nodes.forEach(ClusterEngine::close);
        } finally {
            postgres.dropSchema();
        }
    }

    /** A node that forwards retention's deletions to the owner in this JVM, as the cluster listener would run them. */
    private ClusterEngine node() {
        String address = "node-" + nodes.size() + ":9081";
        ClusterEngine node = new ClusterEngine(postgres, Duration.ofMinutes(10), address, new Peers() {
            @Override
            @SuppressWarnings("unchecked")
            public <T> CompletableFuture<T> forward(String to, Forward<T> command, String leaseToken) {
                if (!(command instanceof Forward.Expire expire)) {
                    return CompletableFuture.failedFuture(new UnsupportedOperationException(command.toString()));
                }
                expiresForwarded.incrementAndGet();
                return (CompletableFuture<T>) byAddress.get(to).engine.leased(null).here().expire(expire.jobId());
            }
        });
        nodes.add(node);
        byAddress.put(address, node);
        return node;
    }

    @Test
    void aDutyMovesWithItsHoldersLeaseSessionAndIsNotTakenBack() throws Exception {
        ClusterEngine a = node();
        await().atMost(WAIT).until(() -> a.stats().duties().equals(Set.copyOf(Duties.NAMES)));
        ClusterEngine b = node();

        assertThat(PostgresOwnershipTest.terminateLease(postgres, a.nodeId())).isEqualTo(1);
        a.ping();

        assertThat(a.stats().duties()).isEmpty();
        await().atMost(WAIT).until(() -> b.stats().duties().equals(Set.copyOf(Duties.NAMES)));
        a.ping(); // the lease is back, and A tries for the locks at once: B holds them
        assertThat(a.stats().leaseValid()).isTrue();
        assertThat(a.stats().duties()).isEmpty();
        assertThat(b.stats().duties()).containsExactlyInAnyOrderElementsOf(Duties.NAMES);
    }

    @Test
    void retentionClaimsDeletesAndReleasesATreeWhoseOwnerIsGone() throws Exception {
        try (Connection test = postgres.connect()) {
            // the test holds the adoption duty, so that only retention touches the tree
            assertThat(tryDutyLock(test, Duties.ADOPTION)).isTrue();
            ClusterEngine a = node();
            ClusterEngine b = node();
            Job root = finishedTree(a);
            assertThat(PostgresOwnershipTest.terminateLease(postgres, a.nodeId())).isEqualTo(1);
            a.ping();
            b.clock.advance(PAST_RETENTION);

            assertThat(b.engine.deleteExpired()).isEqualTo(2);

            assertThat(b.store().find(root.id())).isEmpty();
            assertThat(b.stats().uncleanTakeovers()).isEqualTo(1);
            // let go once the last deletion's commit is seen, which may come just after its answer
            await().atMost(WAIT).until(() -> b.stats().trees() == 0 && ownerOf(root.id()) == null);
        }
    }

    @Test
    void retentionLeavesATreeALiveNodeOwnsToThatNode() throws Exception {
        ClusterEngine a = node();
        ClusterEngine b = node();
        Job root = finishedTree(a);
        b.clock.advance(PAST_RETENTION);

        // due by B's clock, not by A's, which decides: nothing goes, and nothing is counted
        assertThat(b.engine.deleteExpired()).isZero();
        assertThat(expiresForwarded.get()).isPositive();
        assertThat(b.store().find(root.id())).isPresent();
        assertThat(a.engine.cached(root.id())).isPresent();

        a.clock.advance(PAST_RETENTION);
        assertThat(b.engine.deleteExpired()).isEqualTo(2);

        assertThat(b.store().find(root.id())).isEmpty();
        assertThat(a.engine.cached(root.id())).isEmpty();
        assertThat(expiresForwarded.get()).isPositive();
        assertThat(b.stats().cleanTakeovers() + b.stats().uncleanTakeovers()).isZero();
        await().atMost(WAIT).until(() -> ownerOf(root.id()) == null);
    }

    @Test
    void adoptionFinishesAParentWhoseLastChildEndedJustBeforeItsOwnerDied() throws Exception {
        try (Connection test = postgres.connect()) {
            // the test holds the adoption duty until it has written behind A's back: adopted before, the child is
            // stored above the gap and the test's write of its end is refused as stale
            assertThat(tryDutyLock(test, Duties.ADOPTION)).isTrue();
            ClusterEngine a = node();
            ClusterEngine b = node();
            Job parent = done(a.engine.create(new NewJob("batch", null, "acme", null, null, List.of(), null, null,
                    null, true, null, 1, null))).job();
            Job child = done(a.engine.create(new NewJob("part", null, "acme", null, parent.id(), List.of(), null,
                    null, null, false, null, 1, null))).job();
            done(a.engine.start(child.id()));
            // still running below the child: its progress, written behind, may be ahead of the store when A dies
            Job grandchild = done(a.engine.create(new NewJob("page", null, "acme", null, child.id(), List.of(),
                    null, null, null, false, null, 1, null))).job();
            long runningAt = done(a.engine.start(grandchild.id())).version();
            assertThat(PostgresOwnershipTest.terminateLease(postgres, a.nodeId())).isEqualTo(1);
            a.ping();
            // the child's end was committed by A, whose aggregator never got to the parent: written here, again
            // while A's write-behind, not yet fenced, still stores a newer version of the running child
            try (JdbcDatabase plain = JdbcStores.openDatabase(postgres.location())) {
                await().atMost(WAIT).until(() -> {
                    Job started = plain.jobs().find(child.id()).orElseThrow();
                    try {
                        plain.jobs().write(new WriteBatch().job(Transitions.complete(started, null, Instant.now())));
                        return true;
                    } catch (WriteConflict stale) {
                        return false;
                    }
                });
            }
            assertThat(b.store().find(parent.id()).orElseThrow().status().isTerminal()).isFalse();
            test.close(); // lets the duty go

            // nobody touches the tree: B's adoption duty takes it, recounts the parent, which finishes
            await().atMost(WAIT).until(() -> b.store().find(parent.id()).orElseThrow().status()
                    == JobStatus.COMPLETED);
            assertThat(b.stats().uncleanTakeovers()).isEqualTo(1);
            await().atMost(WAIT).until(() -> ownerOf(parent.id()) == null);
            // let go only once the jobs that may lag are stored above the gap (one more: the version of the
            // progress event that tells readers): a clean claim continues above A's versions
            assertThat(b.store().find(grandchild.id()).orElseThrow().version()).isEqualTo(runningAt + GAP + 1);
            await().atMost(WAIT).until(() -> nodeRow(a.nodeId()) == 0);
        }
    }

    /** A root and its child, both completed on {@code owner}, whose tree it holds. */
    private Job finishedTree(ClusterEngine owner) throws Exception {
        Job root = done(owner.engine.create(NewJob.of("import", "acme"))).job();
        Job child = done(owner.engine.create(new NewJob("part", null, "acme", null, root.id(), List.of(), null, null,
                null, false, null, 1, null))).job();
        for (Job job : List.of(child, root)) {
            done(owner.engine.start(job.id()));
            done(owner.engine.complete(job.id(), null));
        }
        assertThat(ownerOf(root.id())).isEqualTo(owner.nodeId());
        return root;
    }

    private String ownerOf(String rootId) throws SQLException {
        try (var c = postgres.connect();
             PreparedStatement s = c.prepareStatement("SELECT node_id FROM tree_owners WHERE root_id = ?")) {
            s.setString(1, rootId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private boolean tryDutyLock(Connection c, String duty) throws SQLException {
        String schema = JdbcLocation.parse(postgres.location()).schema();
        try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            s.setLong(1, PostgresCluster.lockKey("test", schema, "duty " + duty));
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private int nodeRow(String nodeId) throws SQLException {
        try (var c = postgres.connect();
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM herald_nodes WHERE node_id = ?")) {
            s.setString(1, nodeId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static <T> T done(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
}
