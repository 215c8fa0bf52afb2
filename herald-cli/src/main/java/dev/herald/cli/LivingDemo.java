package dev.herald.cli;

import dev.herald.client.Herald;
import dev.herald.client.JobSpec;
import dev.herald.client.Reporter;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLevel;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What keeps {@code herald demo} moving until it is stopped, so that the dashboard opened a minute later still
 * shows work: a new small job tree ("Batch n", {@code jobsPerTree} children worked on two at a time) every
 * {@value #TREE_EVERY_MS} ms of demo time; one long import in weighted stages after another; and every
 * {@value #FAILURE_EVERY}th tree a "Sync invoices" job whose first attempt fails and whose retry completes.
 */
final class LivingDemo implements AutoCloseable {
    static final long TREE_EVERY_MS = 6_000;
    static final int FAILURE_EVERY = 3;
    /** The long import takes about this many minutes. */
    private static final int IMPORT_SLOWNESS = 5;
    private static final int LONG_IMPORT_ROWS = 250_000;

    private final Herald herald;
    private final DemoWork work;
    private final int jobsPerTree;
    private final Random random = new Random();
    private final AtomicInteger trees = new AtomicInteger();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "herald-demo-living");
        t.setDaemon(true);
        return t;
    });

    LivingDemo(Herald herald, DemoWork work, int jobsPerTree) {
        if (jobsPerTree < 1) {
            throw new IllegalArgumentException("the demo needs at least one job per tree, not " + jobsPerTree);
        }
        this.herald = herald;
        this.work = work;
        this.jobsPerTree = jobsPerTree;
    }

    /** Starts producing work in the background; {@link #close()} stops it. */
    LivingDemo start() {
        threads.execute(work.guarded("trees", () -> {
            while (true) {
                int n = trees.incrementAndGet();
                threads.execute(work.guarded("batch-" + n, () -> tree(n)));
                if (n % FAILURE_EVERY == 0) {
                    threads.execute(work.guarded("sync-" + n, this::failThenRetry));
                }
                work.pause(TREE_EVERY_MS);
            }
        }));
        threads.execute(work.guarded("imports", () -> {
            for (int n = 1; ; n++) {
                longImport(n);
            }
        }));
        return this;
    }

    private void tree(int n) throws InterruptedException {
        String parent = herald.create(JobSpec.of("batch").name("Batch " + n).status(JobStatus.RUNNING)
                .completeWithChildren(true).metadata(Map.of("trigger", "herald demo"))).id();
        ConcurrentLinkedQueue<String> items = new ConcurrentLinkedQueue<>();
        for (int i = 1; i <= jobsPerTree; i++) {
            items.add(herald.create(JobSpec.of("thumbnail").name(String.format("batch-%d/photo-%03d.jpg", n, i))
                    .parent(parent).total(100).unit("tiles")).id());
        }
        Runnable second = work.guarded("batch-" + n + "-b", () -> render(items));
        threads.execute(second);
        render(items);
    }

    private void render(ConcurrentLinkedQueue<String> items) throws InterruptedException {
        String id;
        while ((id = items.poll()) != null) {
            try (Reporter r = herald.reporter(id)) {
                DemoWork.tiles(r, work, 1_500 + random.nextInt(3_000));
            }
        }
    }

    private void longImport(int n) throws InterruptedException {
        try (Reporter r = herald.start(JobSpec.of("import-csv").name("Import archive-" + n + ".csv")
                .stage("parsing", 20).stage("validating", 10).stage("loading", 70).unit("rows"))) {
            List<Integer> rejected = DemoWork.importRows(r, LONG_IMPORT_ROWS, work, IMPORT_SLOWNESS);
            r.complete(Map.of("imported", LONG_IMPORT_ROWS - rejected.size(), "rejectedRows", rejected));
        }
    }

    /** A job that fails on its first attempt (a timeout upstream) and completes when retried. */
    private void failThenRetry() throws InterruptedException {
        String id;
        try (Reporter r = herald.start(JobSpec.of("sync").name("Sync invoices").total(400).unit("invoices")
                .maxAttempts(2))) {
            id = r.jobId();
            for (int i = 1; i <= 10; i++) {
                r.progress(i * 12);
                work.tick(r, 0.3);
            }
            r.log(LogLevel.ERROR, "billing.example.com did not answer within 30 s", Map.of("invoice", 121));
            r.fail("upstream_timeout", "billing.example.com did not answer within 30 s");
        }
        work.pause(3_000);
        herald.retry(id);
        herald.start(id);
        try (Reporter r = herald.reporter(id)) {
            r.info("attempt 2: billing.example.com is back");
            for (int i = 1; i <= 20; i++) {
                r.progress(i * 20);
                work.tick(r, 0.3);
            }
            r.complete(Map.of("invoices", 400));
        }
    }

    /** How many trees have been started. */
    int trees() {
        return trees.get();
    }

    /** Stops producing: every worker is interrupted; the jobs stay as they are. */
    @Override
    public void close() {
        threads.shutdownNow();
    }
}
