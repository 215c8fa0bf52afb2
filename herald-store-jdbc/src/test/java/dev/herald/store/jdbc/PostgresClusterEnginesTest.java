package dev.herald.store.jdbc;

import dev.herald.core.command.LogEntry;
import dev.herald.core.command.NewJob;
import dev.herald.core.command.ProgressReport;
import dev.herald.core.event.EventType;
import dev.herald.core.event.JobEvent;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLevel;
import dev.herald.core.model.LogLine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * Two engines as two nodes of a cluster on one schema of the machine's real PostgreSQL, in one JVM
 * (docs/cluster.md §2, part 2's wiring): one writer per job tree, a takeover only once the owner's lease
 * is gone, at a version above any the old owner gave out, the old owner's late commit fenced and reported,
 * release when a tree leaves memory, and a node that regains its lease dropping what was taken meanwhile.
 */
class PostgresClusterEnginesTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final long GAP = 1_000_000;

    private final List<ClusterEngine> nodes = new ArrayList<>();
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

    private ClusterEngine node(Duration cacheIdle) {
        ClusterEngine node = new ClusterEngine(postgres, cacheIdle);
        nodes.add(node);
        return node;
    }

    private ClusterEngine node() {
        return node(Duration.ofMinutes(10));
    }

    @Test
    void aTreeIsWrittenByItsOwnerOnlyUntilItsLeaseEndsThenTheOtherContinuesAboveItsVersions() throws Exception {
        ClusterEngine a = node();
        ClusterEngine b = node();
        Job root = done(a.engine.create(NewJob.of("import", "acme"))).job();
        Job child = done(a.engine.create(new NewJob("part", null, "acme", null, root.id(), List.of(), null, null,
                null, false, null, 1, null))).job();
        for (int i = 1; i <= 5; i++) {
            done(a.engine.progress(root.id(), ProgressReport.of(i, 100)));
        }
        LogLine fromA = done(a.engine.log(root.id(), line("from a")));
        // the child's summary reaches its parent at the aggregator's next tick, a version of its own
        await().atMost(WAIT).until(() -> a.engine.cached(root.id()).orElseThrow().children() != null);
        assertThat(ownerOf(root.id())).isEqualTo(a.nodeId());

        // B's writes to A's tree are refused, never taken and lost
        assertRefused(b.engine.progress(root.id(), ProgressReport.of(50, 100)));
        assertRefused(b.engine.log(child.id(), line("from b, too early")));
        assertRefused(b.engine.create(new NewJob("part", null, "acme", null, root.id(), List.of(), null, null,
                null, false, null, 1, null)));
        // progress and summaries are written behind: the store holds A's newest version before A goes
        long lastOfA = a.engine.cached(root.id()).orElseThrow().version();
        await().atMost(WAIT).until(() -> a.store().find(root.id()).orElseThrow().version() == lastOfA);

        assertThat(PostgresOwnershipTest.terminateLease(postgres, a.nodeId())).isEqualTo(1);

        long first = done(b.engine.progress(root.id(), ProgressReport.of(50, 100)));
        // the takeover stores the root at the gap (its own version, with an event), then the progress
        assertThat(first).isGreaterThan(lastOfA).isEqualTo(lastOfA + GAP + 2);
        LogLine fromB = done(b.engine.log(root.id(), line("from b")));
        assertThat(b.stats().uncleanTakeovers()).isEqualTo(1);
        assertThat(ownerOf(root.id())).isEqualTo(b.nodeId());

        // A still trusts its lease (its clock stands still, as a paused node's would): its commit is fenced
        assertRefused(a.engine.log(root.id(), line("from a, too late")));
        assertThat(a.stats().fenced()).isEqualTo(1);
        assertThat(a.stats().trees()).isZero();
        assertThat(a.engine.cached(root.id())).isEmpty();
        assertThat(a.engine.cached(child.id())).isEmpty();
        // and it stays out: the tree is B's
        assertRefused(a.engine.progress(child.id(), ProgressReport.of(1, 2)));

        done(b.engine.start(child.id()));
        done(b.engine.complete(child.id(), null));
        Job finished = done(b.engine.complete(root.id(), null));
        assertThat(finished.version()).isGreaterThan(first);
        b.engine.close();

        try (JdbcDatabase reader = JdbcStores.openDatabase(postgres.location())) {
            Job stored = reader.jobs().find(root.id()).orElseThrow();
            assertThat(stored.status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(stored.version()).isGreaterThanOrEqualTo(finished.version()); // a summary may follow
            assertThat(reader.jobs().find(child.id()).orElseThrow().status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(reader.jobs().logs(root.id(), 0, 100)).extracting(LogLine::message)
                    .containsExactly(fromA.message(), fromB.message());
            assertThat(reader.jobs().logs(child.id(), 0, 100)).isEmpty();
        }
    }

    @Test
    void aTreeWhoseLastJobLeavesMemoryIsReleasedAndTheNextClaimIsClean() throws Exception {
        ClusterEngine a = node(Duration.ofMinutes(1));
        ClusterEngine b = node();
        Job root = done(a.engine.create(NewJob.of("import", "acme"))).job();
        done(a.engine.log(root.id(), line("from a")));
        assertRefused(b.engine.log(root.id(), line("from b, too early")));
        assertThat(a.stats().trees()).isEqualTo(1);

        a.clock.advance(Duration.ofMinutes(2));

        await().atMost(WAIT).until(() -> ownerOf(root.id()) == null);
        assertThat(a.stats().trees()).isZero();
        assertThat(a.engine.cached(root.id())).isEmpty();
        LogLine fromB = done(b.engine.log(root.id(), line("from b")));
        assertThat(b.engine.cached(root.id()).orElseThrow().version()).isEqualTo(3);
        assertThat(b.stats().cleanTakeovers()).isEqualTo(1);
        assertThat(b.stats().uncleanTakeovers()).isZero();
        assertThat(ownerOf(root.id())).isEqualTo(b.nodeId());
        assertThat(b.store().logs(root.id(), 0, 10)).extracting(LogLine::message).endsWith(fromB.message());
    }

    @Test
    void anUncleanTakeoverStoresTheTreesUnfinishedJobsAtTheGapWithTheirEventsAtOnce() throws Exception {
        ClusterEngine a = node();
        ClusterEngine b = node();
        Job root = done(a.engine.create(NewJob.of("import", "acme"))).job();
        Job child = done(a.engine.create(new NewJob("part", null, "acme", null, root.id(), List.of(), null, null,
                null, false, null, 1, null))).job();
        long givenOut = 0;
        for (int i = 1; i <= 3; i++) {
            givenOut = done(a.engine.progress(child.id(), ProgressReport.of(i, 10)));
        }
        List<JobEvent> onB = new CopyOnWriteArrayList<>();
        b.engine.streams().subscribe(onB::add, () -> { });
        assertThat(PostgresOwnershipTest.terminateLease(postgres, a.nodeId())).isEqualTo(1);

        // B takes the tree over through the root; nobody touches the child
        done(b.engine.log(root.id(), line("from b")));

        long lost = givenOut;
        await().atMost(WAIT).until(() -> onB.stream().anyMatch(e -> e.type() == EventType.PROGRESS
                && e.job().id().equals(child.id()) && e.job().version() > lost));
        long raised = b.engine.cached(child.id()).orElseThrow().version();
        assertThat(raised).isGreaterThan(GAP);
        await().atMost(WAIT).until(() -> b.store().find(child.id()).orElseThrow().version() == raised);
        assertThat(b.stats().uncleanTakeovers()).isEqualTo(1);
    }

    @Test
    void aCleanStopReleasesTheNodesTreesSoTheNextClaimIsClean() throws Exception {
        ClusterEngine a = node();
        ClusterEngine b = node();
        Job root = done(a.engine.create(NewJob.of("import", "acme"))).job();
        long lastOfA = done(a.engine.progress(root.id(), ProgressReport.of(1, 10)));
        nodes.remove(a);
        a.close();
        assertThat(ownerOf(root.id())).isNull();

        assertThat(done(b.engine.progress(root.id(), ProgressReport.of(2, 10)))).isEqualTo(lastOfA + 1);
        assertThat(b.stats().cleanTakeovers()).isEqualTo(1);
        assertThat(b.stats().uncleanTakeovers()).isZero();
    }

    @Test
    void aNodeRefusesWorkWhileItsLeaseIsLostAndDropsTheTreesTakenMeanwhileWhenItIsBack() throws Exception {
        ClusterEngine a = node();
        ClusterEngine b = node();
        Job root = done(a.engine.create(NewJob.of("import", "acme"))).job();
        Job kept = done(a.engine.create(NewJob.of("import", "acme"))).job();
        done(a.engine.log(root.id(), line("from a")));
        assertThat(PostgresOwnershipTest.terminateLease(postgres, a.nodeId())).isEqualTo(1);
        done(b.engine.log(root.id(), line("from b")));

        a.ping();

        assertRefused(a.engine.log(kept.id(), line("while lost")));
        assertRefused(a.engine.create(NewJob.of("import", "acme")));
        assertThat(a.engine.cached(root.id())).isPresent();

        a.ping();

        assertThat(a.engine.cached(root.id())).isEmpty();
        assertThat(a.engine.cached(kept.id())).isPresent();
        assertThat(a.stats().trees()).isEqualTo(1);
        done(a.engine.log(kept.id(), line("back")));
        assertThat(done(a.engine.create(NewJob.of("import", "acme"))).isNew()).isTrue();
        assertRefused(a.engine.log(root.id(), line("from a, after")));
        assertThat(b.store().logs(root.id(), 0, 10)).extracting(LogLine::message)
                .containsExactly("from a", "from b");
    }

    private static LogEntry line(String message) {
        return new LogEntry(LogLevel.INFO, message, null);
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

    private static <T> T done(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Refused with 503 {@code unavailable}: the client tries again (Retry-After), nothing was applied. */
    private static void assertRefused(CompletableFuture<?> future) throws Exception {
        try {
            future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            fail("expected a refusal");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException c ? c.getCause() : e.getCause();
            assertThat(cause).isInstanceOf(HeraldException.class);
            assertThat(((HeraldException) cause).code()).isEqualTo(ErrorCode.UNAVAILABLE);
        }
    }
}
