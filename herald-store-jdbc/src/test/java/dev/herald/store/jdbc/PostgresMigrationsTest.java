package dev.herald.store.jdbc;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.port.JobStore;
import dev.herald.core.port.WriteBatch;
import dev.herald.testkit.TestJobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Several Herald nodes starting at once against one new PostgreSQL schema; a migration added below an applied one. */
class PostgresMigrationsTest {
    private TestPostgres postgres;

    @BeforeEach
    void reachPostgres() {
        postgres = TestPostgres.reachable();
    }

    @AfterEach
    void dropSchema() throws SQLException {
        postgres.dropSchema();
    }

    @Test
    void nodesOpeningAtOnceMigrateOnceAndShareOneEpoch() throws Exception {
        int nodes = 4;
        ExecutorService pool = Executors.newFixedThreadPool(nodes);
        List<Future<String>> epochs = new ArrayList<>();
        try {
            for (int i = 0; i < nodes; i++) {
                epochs.add(pool.submit((Callable<String>) () -> {
                    try (JobStore store = JdbcStores.open(postgres.location())) {
                        return store.epoch();
                    }
                }));
            }
            List<String> seen = new ArrayList<>();
            for (Future<String> epoch : epochs) {
                seen.add(epoch.get());
            }
            assertThat(seen).hasSize(nodes).allMatch(seen.get(0)::equals);
            assertThat(seen.get(0)).matches("[a-z0-9]{12}");
        } finally {
            pool.shutdownNow();
        }

        try (JobStore store = JdbcStores.open(postgres.location()); Connection c = postgres.connect()) {
            assertThat(store.epoch()).isEqualTo(epochs.get(0).get());
            assertThat(MigrationsTest.recordedVersions(c)).containsExactlyElementsOf(
                    MigrationScript.of(Dialect.POSTGRESQL).stream().map(MigrationScript::version).toList());
        }
    }

    @Test
    void v4ComesAfterV5OnAStoreThatHadV5AndSeedsTheCounterFromWhatItHolds() throws Exception {
        postgres.createSchema();
        try (Connection c = postgres.connect()) {
            PreviousFormatRows.insert(c, Dialect.POSTGRESQL);
        }
        // the store as a build before V4 left it: events up to 6, a deletion's mark at 9
        postgres.execute("DROP TABLE event_head");
        postgres.execute("DELETE FROM herald_schema_version WHERE version = 4");
        postgres.execute("INSERT INTO herald_meta (name, value) VALUES ('position', '9')");

        try (JobStore store = JdbcStores.open(postgres.location()); Connection c = postgres.connect()) {
            assertThat(MigrationsTest.recordedVersions(c)).contains(4, 5);
            assertThat(store.lastPosition()).isEqualTo(9);
            Job next = TestJobs.next(PreviousFormatRows.RUNNING).build();
            assertThat(store.write(new WriteBatch().job(next).event(JobEvent.status(next, JobStatus.RUNNING))).events())
                    .extracting(JobEvent::position).containsExactly(10L);
        }
    }

    @Test
    void everyJobKnowsItsRootWhenWrittenAndWhenV9BackfillsIt() throws Exception {
        Job root = TestJobs.pending("acme").build();
        Job child = TestJobs.pending("acme").parentId(root.id()).build();
        // one batch writes its rows in id order: here the grandchild before its new parent
        Job parent = TestJobs.pending("acme").id("z" + TestJobs.newId()).parentId(child.id()).build();
        Job grandchild = TestJobs.pending("acme").id("a" + TestJobs.newId()).parentId(parent.id()).build();
        Job orphan = TestJobs.pending("acme").parentId("gone").build();
        Map<String, String> roots = Map.of(root.id(), root.id(), child.id(), root.id(), parent.id(), root.id(),
                grandchild.id(), root.id(), orphan.id(), orphan.id());
        try (JobStore store = JdbcStores.open(postgres.location())) {
            store.write(new WriteBatch().job(root).job(child));
            store.write(new WriteBatch().job(grandchild).job(parent).job(orphan));
            store.write(new WriteBatch().job(TestJobs.next(grandchild).build()));
        }
        assertThat(rootIds()).isEqualTo(roots);

        postgres.execute("ALTER TABLE jobs DROP COLUMN root_id");
        postgres.execute("DROP TABLE tree_owners");
        postgres.execute("DROP TABLE herald_nodes");
        postgres.execute("DELETE FROM herald_schema_version WHERE version = 9");
        JdbcStores.open(postgres.location()).close();
        assertThat(rootIds()).isEqualTo(roots);
    }

    private Map<String, String> rootIds() throws SQLException {
        Map<String, String> roots = new HashMap<>();
        try (Connection c = postgres.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, root_id FROM jobs")) {
            while (rs.next()) {
                roots.put(rs.getString(1), rs.getString(2));
            }
        }
        return roots;
    }
}
