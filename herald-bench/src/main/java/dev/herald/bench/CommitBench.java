package dev.herald.bench;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.port.JobStore;
import dev.herald.core.port.WriteBatch;
import dev.herald.store.jdbc.JdbcStores;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Durable commits through the one position counter of PostgreSQL (docs/cluster.md §3.1, §13.10): {@code --nodes}
 * stores on one new schema, each with its own pool as a node has, and one writer each as a node's store writer is,
 * commit batches of {@code --events} status events (with their jobs' states) as fast as they can. Reports the
 * transactions and events committed per second in the measured window, and the commit time. The schema is dropped
 * at the end.
 */
public final class CommitBench {
    public static void main(String[] args) throws Exception {
        BenchArgs a = new BenchArgs("CommitBench [options]", args,
                "postgres", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres",
                "the PostgreSQL server's JDBC URL, with a query (a schema is made in it)",
                "nodes", "3", "stores writing at once, one writer each",
                "events", "10", "status events per transaction",
                "warmup", "3", "seconds before measuring",
                "duration", "10", "seconds measured");
        Machine.printHeader("CommitBench");
        System.out.println("options: " + a.effective());
        String schema = "herald_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String location = a.text("postgres") + "&schema=" + schema;
        List<JobStore> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < a.integer("nodes"); i++) {
                nodes.add(JdbcStores.open(location));
            }
            run(nodes, a.integer("events"), a.integer("warmup") * 1_000_000_000L,
                    a.integer("duration") * 1_000_000_000L);
        } finally {
            nodes.forEach(JobStore::close);
            drop(a.text("postgres"), schema);
        }
    }

    private static void run(List<JobStore> nodes, int events, long warmupNanos, long durationNanos)
            throws InterruptedException {
        long start = System.nanoTime();
        long measureFrom = start + warmupNanos;
        long end = measureFrom + durationNanos;
        AtomicLong transactions = new AtomicLong();
        Histogram commits = new Histogram();
        List<Thread> writers = new ArrayList<>();
        for (JobStore node : nodes) {
            Thread t = new Thread(() -> write(node, events, measureFrom, end, transactions, commits));
            writers.add(t);
            t.start();
        }
        for (Thread t : writers) {
            t.join();
        }
        double seconds = durationNanos / 1e9;
        System.out.printf(Locale.ROOT, "%d nodes, %d events per transaction: %.0f transactions/s, %.0f events/s"
                        + " | commit p50 %s, p99 %s ms%n", nodes.size(), events, transactions.get() / seconds,
                transactions.get() * events / seconds, Histogram.ms(commits.percentile(50)),
                Histogram.ms(commits.percentile(99)));
        System.out.println("last position: " + nodes.get(0).lastPosition());
    }

    private static void write(JobStore node, int events, long measureFrom, long end, AtomicLong transactions,
                              Histogram commits) {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            Instant now = Instant.now();
            jobs.add(new Job.Builder().id(UUID.randomUUID().toString()).type("bench").project("bench")
                    .status(JobStatus.RUNNING).createdAt(now).updatedAt(now).version(1).build());
        }
        long now;
        while ((now = System.nanoTime()) < end) {
            WriteBatch batch = new WriteBatch();
            for (int i = 0; i < jobs.size(); i++) {
                Job next = jobs.get(i).toBuilder().version(jobs.get(i).version() + 1).build();
                jobs.set(i, next);
                batch.job(next).event(JobEvent.status(next, JobStatus.RUNNING));
            }
            node.write(batch);
            long took = System.nanoTime() - now;
            if (now >= measureFrom && now + took <= end) {
                transactions.incrementAndGet();
                commits.record(took);
            }
        }
    }

    private static void drop(String jdbcUrl, String schema) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}
