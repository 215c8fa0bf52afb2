package dev.herald.bench;

import dev.herald.core.command.LogEntry;
import dev.herald.core.command.NewJob;
import dev.herald.core.command.ProgressReport;
import dev.herald.core.engine.EngineOptions;
import dev.herald.core.engine.JobEngine;
import dev.herald.core.event.EventType;
import dev.herald.core.model.JobError;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLevel;
import dev.herald.core.model.RawJson;
import dev.herald.core.port.JobStore;
import dev.herald.core.port.LocalEventBus;
import dev.herald.store.jdbc.JdbcStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The storage size of BENCHMARKS.md (not part of the build; run with -Dherald.bench=true): finished jobs of the
 * living demo's shapes (herald-cli's LivingDemo) made through the engine on each store, and the bytes they take
 * per job. A tree is a "batch" parent (completes with its children) and {@value #CHILDREN} "thumbnail" children
 * (total 100 tiles, a message, a few progress reports, a result); every {@value #SYNC_EVERY}rd tree adds a
 * "sync" job that fails with an error log line, is retried and completes. SQLite: the database file after a
 * checkpoint and VACUUM; PostgreSQL: pg_total_relation_size of every table of the schema after VACUUM FULL.
 * The engine records finished runs in the estimates' history behind the writes; at this pace it falls behind, and
 * the runs still queued when the store closes are logged as not recorded (the history keeps at most 100 runs of
 * a type, so its size does not depend on them). {@code -Dherald.bench.jobs} (default 100 000) sets how many jobs; {@code -Dherald.bench.dir} keeps the SQLite
 * database in that folder.
 */
@EnabledIfSystemProperty(named = "herald.bench", matches = "true")
class StorageSizeBench {
    private static final int CHILDREN = 8;
    private static final int SYNC_EVERY = 3;
    private static final int JOBS = Integer.getInteger("herald.bench.jobs", 100_000);
    private static final int TREES_AT_ONCE = 64;
    private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    @Test
    void sqlite(@TempDir Path temp) throws Exception {
        // -Dherald.bench.dir keeps the database there, to be looked into
        String kept = System.getProperty("herald.bench.dir");
        Path dir = kept == null ? temp : Path.of(kept);
        int jobs = make("sqlite:" + dir.resolve("herald.db"));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("herald.db"));
             Statement s = c.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            long before = Files.size(dir.resolve("herald.db"));
            s.execute("VACUUM");
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            StringBuilder parts = new StringBuilder();
            if (sqliteHasDbstat(s)) {
                try (ResultSet rs = s.executeQuery("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name "
                        + "ORDER BY 2 DESC")) {
                    while (rs.next()) {
                        parts.append(part(rs.getString(1), rs.getLong(2), jobs));
                    }
                }
            }
            report("SQLite", jobs, Files.size(dir.resolve("herald.db")), "file " + before + " bytes before VACUUM",
                    parts);
        }
    }

    @Test
    void postgresql() throws Exception {
        String schema = "herald_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try {
            int jobs = make(POSTGRES + "&schema=" + schema);
            try (Connection c = DriverManager.getConnection(POSTGRES); Statement s = c.createStatement()) {
                s.execute("SET search_path TO " + schema);
                long total = 0;
                StringBuilder parts = new StringBuilder();
                List<String> tables = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = '"
                        + schema + "'")) {
                    while (rs.next()) {
                        tables.add(rs.getString(1));
                    }
                }
                for (String table : tables) {
                    s.execute("VACUUM FULL " + table);
                    try (ResultSet rs = s.executeQuery("SELECT pg_total_relation_size('" + table + "')")) {
                        rs.next();
                        total += rs.getLong(1);
                        parts.append(part(table, rs.getLong(1), jobs));
                    }
                }
                parts.append("  of which, by table (heap) and index:\n");
                try (ResultSet rs = s.executeQuery("SELECT c.relname, pg_relation_size(c.oid) FROM pg_class c "
                        + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '" + schema + "' "
                        + "AND c.relkind IN ('r', 'i') AND pg_relation_size(c.oid) > 8192 ORDER BY 2 DESC")) {
                    while (rs.next()) {
                        parts.append("  ").append(part(rs.getString(1), rs.getLong(2), jobs));
                    }
                }
                report("PostgreSQL", jobs, total, "sum of pg_total_relation_size after VACUUM FULL", parts);
            }
        } finally {
            try (Connection c = DriverManager.getConnection(POSTGRES); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    private static boolean sqliteHasDbstat(Statement s) {
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM dbstat")) {
            return rs.next();
        } catch (SQLException e) {
            return false;
        }
    }

    private static String part(String name, long bytes, int jobs) {
        return String.format(Locale.ROOT, "  %-36s %8.1f bytes/job%n", name, bytes / (double) jobs);
    }

    private static void report(String store, int jobs, long bytes, String how, CharSequence parts) {
        Machine.printHeader("StorageSizeBench " + store);
        System.out.print(String.format(Locale.ROOT, "%s: %d finished jobs take %d bytes, %.0f bytes per job (%s)%n",
                store, jobs, bytes, bytes / (double) jobs, how) + parts);
    }

    /** Makes the jobs and answers how many; the engine is closed, every job finished and durable. */
    private static int make(String location) throws Exception {
        JobStore store = JdbcStores.open(location);
        LocalEventBus bus = new LocalEventBus();
        JobEngine engine = JobEngine.start(store, bus, EngineOptions.defaults());
        Set<String> parents = ConcurrentHashMap.newKeySet();
        int treeSize = CHILDREN + 1;
        int trees = Math.max(1, JOBS / treeSize);
        int syncs = trees / SYNC_EVERY;
        CountDownLatch parentsDone = new CountDownLatch(trees);
        try (AutoCloseable listening = engine.streams().subscribe(e -> {
            if (e.type() == EventType.STATUS && e.to() == JobStatus.COMPLETED && parents.remove(e.jobId())) {
                parentsDone.countDown();
            }
        }, () -> { })) {
            List<CompletableFuture<?>> window = new ArrayList<>();
            for (int t = 1; t <= trees; t++) {
                window.add(tree(engine, t, parents));
                if (t % SYNC_EVERY == 0) {
                    window.add(sync(engine));
                }
                if (window.size() >= TREES_AT_ONCE) {
                    CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
                    window.clear();
                }
            }
            CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
            assertThat(parentsDone.await(5, TimeUnit.MINUTES)).as("every batch completed with its children").isTrue();
        } finally {
            engine.close();
            store.close();
        }
        return trees * treeSize + syncs;
    }

    private static CompletableFuture<?> tree(JobEngine engine, int n, Set<String> parents) {
        NewJob batch = new NewJob("batch", "Batch " + n, "default", null, null, List.of(), null, null,
                new RawJson("{\"trigger\":\"herald demo\"}"), true, JobStatus.RUNNING, 1, null);
        return engine.create(batch).thenCompose(created -> {
            String parent = created.job().id();
            parents.add(parent);
            List<CompletableFuture<?>> children = new ArrayList<>();
            for (int i = 1; i <= CHILDREN; i++) {
                NewJob child = new NewJob("thumbnail", String.format(Locale.ROOT, "batch-%d/photo-%03d.jpg", n, i),
                        "default", null, parent, List.of(), 100.0, "tiles", null, false, null, 1, null);
                children.add(engine.create(child).thenCompose(c -> thumbnail(engine, c.job().id())));
            }
            return CompletableFuture.allOf(children.toArray(CompletableFuture[]::new));
        });
    }

    private static CompletableFuture<?> thumbnail(JobEngine engine, String id) {
        engine.progress(id, new ProgressReport(null, null, null, null, null, null, "Rendering tiles", null));
        for (int tiles = 25; tiles < 100; tiles += 25) {
            engine.progress(id, ProgressReport.of(tiles, 100));
        }
        engine.progress(id, ProgressReport.of(100, 100));
        return engine.complete(id, new RawJson("{\"width\":320,\"height\":240}"));
    }

    private static CompletableFuture<?> sync(JobEngine engine) {
        NewJob sync = new NewJob("sync", "Sync invoices", "default", null, null, List.of(), 400.0, "invoices", null,
                false, JobStatus.RUNNING, 2, null);
        return engine.create(sync).thenCompose(c -> {
            String id = c.job().id();
            engine.progress(id, ProgressReport.of(120, 400));
            return engine.log(id, new LogEntry(LogLevel.ERROR, "billing.example.com did not answer within 30 s",
                            new RawJson("{\"invoice\":121}")))
                    .thenCompose(l -> engine.fail(id, new JobError("upstream_timeout",
                            "billing.example.com did not answer within 30 s")))
                    .thenCompose(j -> engine.retry(id))
                    .thenCompose(j -> engine.start(id))
                    .thenCompose(j -> engine.log(id, new LogEntry(LogLevel.INFO,
                            "attempt 2: billing.example.com is back", null)))
                    .thenCompose(l -> {
                        engine.progress(id, ProgressReport.of(400, 400));
                        return engine.complete(id, new RawJson("{\"invoices\":400}"));
                    });
        });
    }
}
