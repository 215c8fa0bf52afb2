package dev.herald.cli;

import dev.herald.client.Herald;
import dev.herald.client.JobSpec;
import dev.herald.client.Reporter;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLevel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The job tree of {@code herald demo}, created and reported through the Java SDK as a real worker would (so the
 * demonstration exercises the same path as users):
 * <ul>
 *   <li>"Nightly refresh" ({@code nightly-refresh}), a parent that completes with its children;</li>
 *   <li>its child "Import customers.csv" ({@code import-csv}, stages parsing 20 / validating 10 /
 *       loading 70, about a minute: rows, messages, log lines, metadata, a result);</li>
 *   <li>its child "Crawl docs.example.com" ({@code crawl}, no stages, reports a percent, about 30 s);</li>
 *   <li>its child "Render thumbnails" ({@code thumbnails}), itself a parent of {@value #THUMBNAILS} small jobs
 *       worked on {@value #THUMBNAIL_WORKERS} at a time, so the summary line moves
 *       ("30 pending, 6 running, 12 completed, 0 failed");</li>
 *   <li>"Rebuild search index" ({@code reindex}), which fails after about 20 s.</li>
 * </ul>
 */
final class DemoScenario {
    static final long TICK_MS = 200;
    static final int ROWS = 12_480;
    static final int THUMBNAILS = 48;
    static final int THUMBNAIL_WORKERS = 6;

    record Jobs(String parentId, String importId, String crawlId, String thumbnailsId, List<String> thumbnailIds,
                String failingId) {
    }

    private final Herald herald;
    private final DemoWork work;
    private final Random random = new Random();

    DemoScenario(Herald herald, DemoWork work) {
        this.herald = herald;
        this.work = work;
    }

    Jobs create() {
        String parent = herald.create(JobSpec.of("nightly-refresh").name("Nightly refresh").status(JobStatus.RUNNING)
                .completeWithChildren(true).metadata(Map.of("trigger", "herald demo"))).id();
        String importId = herald.create(JobSpec.of("import-csv").name("Import customers.csv").parent(parent)
                .status(JobStatus.QUEUED).stage("parsing", 20).stage("validating", 10).stage("loading", 70)
                .unit("rows").metadata(Map.of("file", "customers.csv", "bytes", 2_457_600))).id();
        String crawl = herald.create(JobSpec.of("crawl").name("Crawl docs.example.com").parent(parent)
                .status(JobStatus.RUNNING)).id();
        String thumbnails = herald.create(JobSpec.of("thumbnails").name("Render thumbnails").parent(parent)
                .status(JobStatus.RUNNING).completeWithChildren(true)).id();
        List<String> thumbnailIds = new ArrayList<>();
        for (int i = 1; i <= THUMBNAILS; i++) {
            thumbnailIds.add(herald.create(JobSpec.of("thumbnail").name(String.format("photo-%03d.jpg", i))
                    .parent(thumbnails).total(100).unit("tiles")).id());
        }
        String failing = herald.create(JobSpec.of("reindex").name("Rebuild search index").status(JobStatus.RUNNING)
                .total(50_000).unit("documents")).id();
        return new Jobs(parent, importId, crawl, thumbnails, thumbnailIds, failing);
    }

    /** Drives the workers to their end (about a minute); returns when all have ended. */
    void run(Jobs jobs) throws InterruptedException {
        List<Thread> workers = new ArrayList<>();
        workers.add(work.worker("import", () -> {
            herald.start(jobs.importId());
            importRows(jobs.importId());
        }));
        workers.add(work.worker("crawl", () -> crawl(jobs.crawlId())));
        workers.add(work.worker("reindex", () -> failingReindex(jobs.failingId())));
        ConcurrentLinkedQueue<String> thumbnails = new ConcurrentLinkedQueue<>(jobs.thumbnailIds());
        for (int w = 1; w <= THUMBNAIL_WORKERS; w++) {
            workers.add(work.worker("thumbnails-" + w, () -> {
                String id;
                while ((id = thumbnails.poll()) != null) {
                    thumbnail(id);
                }
            }));
        }
        for (Thread t : workers) {
            t.join();
        }
    }

    // ---- the workers ----

    private void importRows(String id) throws InterruptedException {
        try (Reporter r = herald.reporter(id)) {
            List<Integer> rejected = DemoWork.importRows(r, ROWS, work, 1);
            r.complete(Map.of("imported", ROWS - rejected.size(), "rejected", rejected.size(), "table", "customers",
                    "rejectedRows", rejected));
        }
        work.say("demo: 'Import customers.csv' completed");
    }

    private void crawl(String id) throws InterruptedException {
        try (Reporter r = herald.reporter(id)) {
            int ticks = work.ticks(30_000);
            int pages = 0;
            for (int i = 1; i <= ticks; i++) {
                double x = (double) i / ticks;
                double percent = Math.min(99.9, 100 * (1 - Math.pow(1 - x, 1.6)));
                pages += 1 + random.nextInt(3);
                r.percent(Math.round(percent * 10) / 10.0).message("Fetched " + pages + " pages")
                        .metadata(Map.of("pages", pages, "queued", Math.max(0, (int) ((1 - x) * 180))));
                if (i == ticks / 4) {
                    r.info("Skipped /private/* (robots.txt)");
                }
                if (i == ticks * 3 / 5) {
                    r.log(LogLevel.WARN, "404 on /guides/old-setup (linked from 3 pages)", Map.of("status", 404));
                }
                work.tick(r, 0.4);
            }
            r.complete(Map.of("pages", pages, "brokenLinks", 1));
        }
        work.say("demo: 'Crawl docs.example.com' completed");
    }

    private void thumbnail(String id) throws InterruptedException {
        try (Reporter r = herald.reporter(id)) {
            DemoWork.tiles(r, work, 3_000 + random.nextInt(6_000));
        }
    }

    private void failingReindex(String id) throws InterruptedException {
        try (Reporter r = herald.reporter(id)) {
            int ticks = work.ticks(20_000);
            for (int i = 1; i <= ticks; i++) {
                r.progress(20_500.0 * i / ticks).message("Indexing documents")
                        .metadata(Map.of("shards", 6, "slowShards", i > ticks * 3 / 4 ? 1 : 0));
                if (i == ticks * 3 / 4) {
                    r.log(LogLevel.WARN, "Shard 3 slow to respond (2.1 s)", Map.of("shard", 3));
                }
                work.tick(r, 0.2);
            }
            r.log(LogLevel.ERROR, "Shard 3: write lock held by another process", Map.of("shard", 3, "attempts", 3));
            r.fail("index_locked", "Shard 3 is locked by another writer; gave up after 3 attempts");
        }
        work.say("demo: 'Rebuild search index' failed (as planned)");
    }
}
