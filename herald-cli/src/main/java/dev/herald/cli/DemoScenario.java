package dev.herald.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The jobs of {@code herald demo}, created and driven through the REST API as a
 * real worker would (so the demonstration exercises the same path as users):
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

    /** The job ended on the server's side (cancelled from the dashboard, say): stop simulating it. */
    private static final class JobGone extends RuntimeException {
        JobGone(String message) {
            super(message, null, false, false);
        }
    }

    private final ApiClient api;
    private final PrintWriter out;
    private final Random random = new Random();
    private final long tickMs;

    DemoScenario(ApiClient api, PrintWriter out) {
        this(api, out, TICK_MS);
    }

    DemoScenario(ApiClient api, PrintWriter out, long tickMs) {
        this.api = api;
        this.out = out;
        this.tickMs = tickMs;
    }

    Jobs create() {
        String parent = create(ApiClient.obj(
                "type", "nightly-refresh", "name", "Nightly refresh", "status", "running",
                "completeWithChildren", true,
                "metadata", ApiClient.obj("trigger", "herald demo")));
        String importId = create(ApiClient.obj(
                "type", "import-csv", "name", "Import customers.csv", "parentId", parent, "status", "queued",
                "stages", List.of(ApiClient.obj("name", "parsing", "weight", 20),
                        ApiClient.obj("name", "validating", "weight", 10),
                        ApiClient.obj("name", "loading", "weight", 70)),
                "unit", "rows",
                "metadata", ApiClient.obj("file", "customers.csv", "bytes", 2_457_600)));
        String crawl = create(ApiClient.obj(
                "type", "crawl", "name", "Crawl docs.example.com", "parentId", parent, "status", "running"));
        String thumbnails = create(ApiClient.obj(
                "type", "thumbnails", "name", "Render thumbnails", "parentId", parent, "status", "running",
                "completeWithChildren", true));
        List<String> thumbnailIds = new ArrayList<>();
        for (int i = 1; i <= THUMBNAILS; i++) {
            thumbnailIds.add(create(ApiClient.obj(
                    "type", "thumbnail", "name", String.format("photo-%03d.jpg", i), "parentId", thumbnails,
                    "total", 100, "unit", "tiles")));
        }
        String failing = create(ApiClient.obj(
                "type", "reindex", "name", "Rebuild search index", "status", "running",
                "total", 50_000, "unit", "documents"));
        return new Jobs(parent, importId, crawl, thumbnails, thumbnailIds, failing);
    }

    private String create(Map<String, Object> body) {
        return api.post("/jobs", body).path("id").asText();
    }

    /** Drives the three workers to their end (about a minute); returns when all have ended. */
    void run(Jobs jobs) throws InterruptedException {
        List<Thread> workers = new ArrayList<>();
        workers.add(worker("import", () -> runImport(jobs.importId())));
        workers.add(worker("crawl", () -> runCrawl(jobs.crawlId())));
        workers.add(worker("reindex", () -> runFailing(jobs.failingId())));
        java.util.concurrent.ConcurrentLinkedQueue<String> thumbnails =
                new java.util.concurrent.ConcurrentLinkedQueue<>(jobs.thumbnailIds());
        for (int w = 1; w <= THUMBNAIL_WORKERS; w++) {
            workers.add(worker("thumbnails-" + w, () -> {
                String id;
                while ((id = thumbnails.poll()) != null) {
                    runThumbnail(id);
                }
            }));
        }
        for (Thread t : workers) {
            t.join();
        }
    }

    private Thread worker(String name, Runnable body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (JobGone e) {
                say(e.getMessage());
            } catch (ApiException e) {
                say("demo worker '" + name + "' stopped: " + e.getMessage());
            }
        }, "herald-demo-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    // ---- the workers ----

    void runImport(String id) {
        sleep(1500);
        post(id, "/start", ApiClient.obj());
        log(id, "info", "Opened customers.csv (2.4 MB)", ApiClient.obj("delimiter", ",", "encoding", "UTF-8"));

        int parseTicks = ticks(10_000);
        for (int i = 1; i <= parseTicks; i++) {
            progress(id, ApiClient.obj("stage", "parsing", "current", ROWS * i / parseTicks, "total", ROWS,
                    "unit", "rows", "message", "Parsing customers.csv"));
            if (i == parseTicks / 3) {
                log(id, "debug", "Detected 14 columns; header: id, email, name, country, ...", null);
            }
            tick(0.3);
        }
        log(id, "info", "Parsed " + ROWS + " rows", null);

        int validateTicks = ticks(6_000);
        int invalid = 0;
        for (int i = 1; i <= validateTicks; i++) {
            int current = ROWS * i / validateTicks;
            if (invalid == 0 && current >= 1877) {
                invalid++;
                log(id, "warn", "Row 1877: invalid email address 'bob@'", ApiClient.obj("row", 1877, "column", "email"));
            }
            if (invalid == 1 && current >= 9102) {
                invalid++;
                log(id, "warn", "Row 9102: missing country code", ApiClient.obj("row", 9102, "column", "country"));
            }
            progress(id, ApiClient.obj("stage", "validating", "current", current, "total", ROWS, "unit", "rows",
                    "message", "Validating rows", "metadata", ApiClient.obj("valid", current - invalid, "invalid", invalid)));
            tick(0.3);
        }

        int loadTicks = ticks(42_000);
        int batches = ROWS / 500 + 1;
        int committed = 0;
        for (int i = 1; i <= loadTicks; i++) {
            int current = ROWS * i / loadTicks;
            int errors = current >= 9102 ? 2 : current >= 1877 ? 1 : 0;
            int batch = Math.min(batches, current / 500 + 1);
            progress(id, ApiClient.obj("stage", "loading", "current", current, "total", ROWS, "unit", "rows",
                    "message", "Loading rows (batch " + batch + " of " + batches + ")",
                    "metadata", ApiClient.obj("success", current - errors, "errors", errors)));
            while (committed < current / 2500) {
                committed++;
                log(id, "info", "Committed " + committed * 2500 + " rows", ApiClient.obj("table", "customers"));
            }
            tick(0.5);
        }
        post(id, "/complete", ApiClient.obj("result", ApiClient.obj(
                "imported", ROWS - 2, "rejected", 2, "table", "customers", "rejectedRows", List.of(1877, 9102))));
        say("demo: 'Import customers.csv' completed");
    }

    void runCrawl(String id) {
        int ticks = ticks(30_000);
        int pages = 0;
        for (int i = 1; i <= ticks; i++) {
            double x = (double) i / ticks;
            double percent = Math.min(99.9, 100 * (1 - Math.pow(1 - x, 1.6)));
            pages += 1 + random.nextInt(3);
            progress(id, ApiClient.obj("percent", Math.round(percent * 10) / 10.0,
                    "message", "Fetched " + pages + " pages",
                    "metadata", ApiClient.obj("pages", pages, "queued", Math.max(0, (int) ((1 - x) * 180)))));
            if (i == ticks / 4) {
                log(id, "info", "Skipped /private/* (robots.txt)", null);
            }
            if (i == ticks * 3 / 5) {
                log(id, "warn", "404 on /guides/old-setup (linked from 3 pages)", ApiClient.obj("status", 404));
            }
            tick(0.4);
        }
        post(id, "/complete", ApiClient.obj("result", ApiClient.obj("pages", pages, "brokenLinks", 1)));
        say("demo: 'Crawl docs.example.com' completed");
    }

    void runThumbnail(String id) {
        int ticks = ticks(3_000 + random.nextInt(6_000));
        for (int i = 1; i <= ticks; i++) {
            progress(id, ApiClient.obj("current", 100 * i / ticks, "message", "Rendering tiles"));
            tick(0.3);
        }
        post(id, "/complete", ApiClient.obj("result", ApiClient.obj("width", 320, "height", 240)));
    }

    void runFailing(String id) {
        int ticks = ticks(20_000);
        for (int i = 1; i <= ticks; i++) {
            int current = 20_500 * i / ticks;
            progress(id, ApiClient.obj("current", current, "message", "Indexing documents",
                    "metadata", ApiClient.obj("shards", 6, "slowShards", i > ticks * 3 / 4 ? 1 : 0)));
            if (i == ticks * 3 / 4) {
                log(id, "warn", "Shard 3 slow to respond (2.1 s)", ApiClient.obj("shard", 3));
            }
            tick(0.2);
        }
        log(id, "error", "Shard 3: write lock held by another process", ApiClient.obj("shard", 3, "attempts", 3));
        post(id, "/fail", ApiClient.obj("error", ApiClient.obj(
                "code", "index_locked", "message", "Shard 3 is locked by another writer; gave up after 3 attempts")));
        say("demo: 'Rebuild search index' failed (as planned)");
    }

    // ---- helpers ----

    private int ticks(long ms) {
        return (int) Math.max(1, ms / TICK_MS);
    }

    /** Sleeps about one tick, with some jitter so that the rates vary like real work. */
    private void tick(double jitter) {
        double factor = 1 + jitter * (random.nextDouble() * 2 - 1);
        sleep(Math.max(1, Math.round(TICK_MS * factor)));
    }

    /** Sleeps {@code ms} of demo time: real time scaled by {@code tickMs / TICK_MS} (1 unless a test speeds it up). */
    private void sleep(long ms) {
        try {
            Thread.sleep(Math.max(1, ms * tickMs / TICK_MS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobGone("demo interrupted");
        }
    }

    private void progress(String id, Map<String, Object> body) {
        post(id, "/progress", body);
    }

    private void log(String id, String level, String message, Map<String, Object> fields) {
        post(id, "/logs", ApiClient.obj("level", level, "message", message, "fields", fields));
    }

    private JsonNode post(String id, String action, Map<String, Object> body) {
        while (true) {
            try {
                return api.post(ApiClient.jobPath(id, action), body);
            } catch (ApiException e) {
                if (e.status() == 409 && "job_finished".equals(e.code())) {
                    throw new JobGone("demo: job " + id + " was ended from outside (" + e.getMessage() + "); stopping its worker");
                }
                if (!e.isRetryable()) {
                    throw e;
                }
                try {
                    Thread.sleep(Math.max(TICK_MS, e.retryAfterMs()));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new JobGone("demo interrupted");
                }
            }
        }
    }

    private void say(String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
