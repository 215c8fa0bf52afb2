package dev.herald.bench;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fan-out of one job to many SSE readers (DESIGN.md: 10 000 readers on one node, every
 * reader has the update, p99 under 250 ms) and, given the server's process id, the heap
 * an idle SSE stream costs the server (DESIGN.md: under 16 KiB each).
 *
 * <p>N readers each hold {@code GET /api/v1/jobs/{id}/events} of the same job on their own
 * HTTP/1.1 connection, spread over the client's event loops. A reader only looks for the
 * envelope's {@code "version":} in each event's data (no JSON parsing) and notes when each
 * version arrived. Once every reader has its snapshot, the producer posts K updates at a
 * fixed pace; for each, the latency of a reader runs from just before the POST is issued
 * to that reader having the event with the version the POST answered.
 *
 * <p>With {@code --server-pid}, the server's used heap is read after a full GC
 * ({@code jcmd PID GC.run}, then {@code GC.heap_info}) with the job created and no stream
 * open, and again with the N streams open and idle (snapshot delivered, before any update).
 * That needs the server in its own JVM ({@code --url}), so the client's heap does not count.
 */
public final class FanOutBench {
    private static final byte[] VERSION = "\"version\":".getBytes(StandardCharsets.US_ASCII);

    /** One SSE stream: when each version (relative to its snapshot's) arrived. Touched by its event loop only. */
    private static final class Reader {
        final long[] arrivedAt;
        long snapshotVersion = -1;
        boolean ended;

        Reader(int updates) {
            arrivedAt = new long[updates + 1];
        }
    }

    public static void main(String[] args) throws Exception {
        BenchArgs a = new BenchArgs("FanOutBench [options]", args,
                "url", null, "a running server, e.g. http://127.0.0.1:8080 (default: embedded server in this JVM)",
                "token", null, "the running server's admin token (an admin token has no open-stream limit)",
                "readers", "10000", "SSE readers of the one job, one connection each",
                "updates", "20", "measured updates",
                "warmup", "2", "updates sent (and checked) before measuring",
                "interval-ms", "500", "pace of the updates: one every this many ms",
                "client-loops", "2", "event loops of the readers' Vert.x",
                "open-window", "256", "readers being opened (connected, snapshot not yet in) at once",
                "idle-s", "3", "seconds the open streams sit idle before the heap is read",
                "server-pid", null, "process id of the --url server: read its heap with jcmd, 0 and N idle streams");
        Machine.printHeader("FanOutBench");
        try (Target t = Target.open(a.text("url"), a.text("token"))) {
            Vertx readers = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(a.integer("client-loops")));
            try {
                measure(a, t, readers);
            } finally {
                readers.close().await(60, TimeUnit.SECONDS);
            }
        }
    }

    private static void measure(BenchArgs a, Target t, Vertx readerVertx) throws Exception {
        System.out.println(t.describe());
        System.out.println("options: " + a.effective());
        int n = a.integer("readers");
        int warmup = a.integer("warmup");
        int updates = a.integer("updates");
        int total = warmup + updates;
        int interval = a.integer("interval-ms");
        Long pid = a.text("server-pid") == null ? null : Long.parseLong(a.text("server-pid"));

        HttpClient producer = t.vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(1));
        String job = t.createRunningJob(producer, "bench-fanout");

        long heap0 = -1;
        if (pid != null) {
            heap0 = usedHeapAfterGc(pid);
            System.out.printf("server heap used after full GC, job created, 0 streams: %,d KiB%n", heap0);
        }

        // ---- open the readers, at most open-window at a time
        int loops = a.integer("client-loops");
        List<Context> contexts = new ArrayList<>();
        List<HttpClient> clients = new ArrayList<>();
        // one verticle instance per event loop: getOrCreateContext() from this thread would answer the same
        // context every time (Vert.x 5 ties it to the calling thread), putting every reader on one loop
        List<Context> deployed = java.util.Collections.synchronizedList(new ArrayList<>());
        readerVertx.deployVerticle(() -> new AbstractVerticle() {
            @Override
            public void start() {
                deployed.add(context);
            }
        }, new DeploymentOptions().setInstances(loops)).await(30, TimeUnit.SECONDS);
        contexts.addAll(deployed);
        for (int i = 0; i < loops; i++) {
            clients.add(readerVertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                    new PoolOptions().setHttp1MaxSize(n / loops + 1)));
        }
        Set<String> threads = java.util.Collections.synchronizedSet(new TreeSet<>());
        CountDownLatch named = new CountDownLatch(loops);
        for (Context c : contexts) {
            c.runOnContext(v -> {
                threads.add(Thread.currentThread().getName());
                named.countDown();
            });
        }
        named.await(10, TimeUnit.SECONDS);
        System.out.println("readers spread over " + contexts.size() + " client event loops: " + threads);
        Reader[] rs = new Reader[n];
        CountDownLatch[] seen = new CountDownLatch[total + 1]; // [0]: snapshots, [k]: the k-th update
        for (int k = 0; k <= total; k++) {
            seen[k] = new CountDownLatch(n);
        }
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger ended = new AtomicInteger();
        AtomicInteger unexpected = new AtomicInteger();
        Semaphore window = new Semaphore(a.integer("open-window"));
        RequestOptions get = t.request(HttpMethod.GET, "/api/v1/jobs/" + job + "/events")
                .putHeader("Accept", "text/event-stream");
        long cpu0 = Machine.processCpuNanos();
        long serverCpu0 = pid == null ? -1 : processCpuTicks(pid);
        long openStart = System.nanoTime();
        for (int i = 0; i < n; i++) {
            if (!window.tryAcquire(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no reader got its snapshot within 60 s; " + i + " opened so far");
            }
            Reader r = new Reader(total);
            rs[i] = r;
            HttpClient client = clients.get(i % loops);
            contexts.get(i % loops).runOnContext(v -> open(client, get, r, seen, window, failed, ended, unexpected));
        }
        if (!seen[0].await(120, TimeUnit.SECONDS)) {
            System.out.println("only " + (n - seen[0].getCount()) + " of " + n + " readers had their snapshot after 120 s");
        }
        long openNanos = System.nanoTime() - openStart;
        System.out.printf("%,d readers open with their snapshot in %.2f s (%,.0f/s), %d failed to open%n",
                n - seen[0].getCount(), openNanos / 1e9, (n - seen[0].getCount()) / (openNanos / 1e9), failed.get());
        System.out.printf("CPU to open them: client JVM %.2f s%s%n", (Machine.processCpuNanos() - cpu0) / 1e9,
                pid == null ? "" : String.format(", server process %.2f s", (processCpuTicks(pid) - serverCpu0) / 100.0));

        if (pid != null) {
            Thread.sleep(a.integer("idle-s") * 1000L);
            long heapN = usedHeapAfterGc(pid);
            System.out.printf("server heap used after full GC, %,d idle streams: %,d KiB%n", n - seen[0].getCount(), heapN);
            System.out.printf("idle SSE stream cost: (%,d - %,d) KiB / %,d = %.2f KiB of server heap each%n",
                    heapN, heap0, n - seen[0].getCount(), (heapN - heap0) / (double) (n - seen[0].getCount()));
        }

        // ---- the updates
        Histogram measured = new Histogram();
        RequestOptions post = t.request(HttpMethod.POST, "/api/v1/jobs/" + job + "/progress");
        int everyReader = 0;
        long cpu1 = Machine.processCpuNanos();
        long serverCpu1 = pid == null ? -1 : processCpuTicks(pid);
        long runStart = System.nanoTime();
        for (int k = 1; k <= total; k++) {
            long due = runStart + (long) (k - 1) * interval * 1_000_000L;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
            }
            Buffer body = Buffer.buffer("{\"current\":" + k + ",\"message\":\"fan-out " + k + "\"}");
            long start = System.nanoTime();
            Buffer answer = t.send(producer, post, body, 202).await(10, TimeUnit.SECONDS);
            long acked = System.nanoTime();
            long version = Target.JSON.readTree(answer.getBytes()).path("version").asLong(-1);
            boolean all_in = seen[k].await(10, TimeUnit.SECONDS);
            long lastIn = System.nanoTime();
            Histogram one = new Histogram();
            int got = 0;
            for (Reader r : rs) {
                long at = 0;
                synchronized (r) {
                    int idx = (int) (version - r.snapshotVersion);
                    if (r.snapshotVersion >= 0 && idx >= 1 && idx <= total) {
                        at = r.arrivedAt[idx];
                    }
                }
                if (at != 0) {
                    got++;
                    one.record(at - start);
                    if (k > warmup) {
                        measured.record(at - start);
                    }
                }
            }
            if (got == n) {
                everyReader++;
            }
            System.out.printf("%s %2d (version %d): %,d/%,d readers, 202 after %s ms, p50 %s ms, p99 %s ms, max %s ms%s%n",
                    k <= warmup ? "warm-up" : "update ", k, version, got, n, Histogram.ms(acked - start),
                    Histogram.ms(one.percentile(50)), Histogram.ms(one.percentile(99)), Histogram.ms(one.max()),
                    all_in ? "" : " (gave up waiting after " + Histogram.ms(lastIn - start) + " ms)");
        }
        double runSeconds = (System.nanoTime() - runStart) / 1e9;
        System.out.println("fan-out latency update -> every reader (measured updates): " + measured.summaryMillis());
        System.out.printf("readers that had every measured update: %,d of %,d; updates every reader had: %d of %d%n",
                countComplete(rs, warmup, total), n, everyReader, total);
        System.out.printf("CPU during the updates (%.1f s): client JVM %.2f s%s%n", runSeconds,
                (Machine.processCpuNanos() - cpu1) / 1e9,
                pid == null ? "" : String.format(", server process %.2f s", (processCpuTicks(pid) - serverCpu1) / 100.0));
        System.out.println("streams ended by the server: " + ended.get() + ", events with no version found: "
                + unexpected.get());
        System.out.println("load average after: " + Machine.loadAverage());
    }

    private static int countComplete(Reader[] rs, int warmup, int total) {
        int complete = 0;
        for (Reader r : rs) {
            synchronized (r) {
                boolean all = r.snapshotVersion >= 0;
                for (int i = warmup + 1; all && i <= total; i++) {
                    all = r.arrivedAt[i] != 0;
                }
                complete += all ? 1 : 0;
            }
        }
        return complete;
    }

    /** Opens one stream on the calling event loop; releases the window once the snapshot is in (or it failed). */
    private static void open(HttpClient client, RequestOptions get, Reader r, CountDownLatch[] seen,
                             Semaphore window, AtomicInteger failed, AtomicInteger ended, AtomicInteger unexpected) {
        SseLines sse = new SseLines((type, data) -> {
            long now = System.nanoTime();
            long v = version(data);
            if (v < 0) {
                unexpected.incrementAndGet();
                return;
            }
            synchronized (r) {
                if (r.snapshotVersion < 0) {
                    r.snapshotVersion = v;
                    seen[0].countDown();
                    window.release();
                    return;
                }
                int idx = (int) (v - r.snapshotVersion);
                if (idx >= 1 && idx < r.arrivedAt.length && r.arrivedAt[idx] == 0) {
                    r.arrivedAt[idx] = now;
                    seen[idx].countDown();
                }
            }
        });
        client.request(get).compose(req -> req.send().onSuccess(resp -> {
            if (resp.statusCode() != 200) {
                failed.incrementAndGet();
                window.release();
                resp.body().onSuccess(b -> {
                    if (failed.get() <= 3) {
                        System.out.println("SSE open refused: HTTP " + resp.statusCode() + " " + b);
                    }
                });
                return;
            }
            resp.handler(sse::feed);
            resp.endHandler(end -> {
                r.ended = true;
                ended.incrementAndGet();
            });
        })).onFailure(e -> {
            if (failed.incrementAndGet() <= 3) {
                System.out.println("SSE open failed: " + e);
            }
            window.release();
        });
    }

    /** The number after the first {@code "version":} of an event's data (the envelope's), or -1. */
    private static long version(String data) {
        int at = data.indexOf("\"version\":");
        if (at < 0) {
            return -1;
        }
        long v = 0;
        boolean any = false;
        for (int i = at + VERSION.length; i < data.length(); i++) {
            char c = data.charAt(i);
            if (c >= '0' && c <= '9') {
                v = v * 10 + (c - '0');
                any = true;
            } else if (c != ' ' || any) {
                break;
            }
        }
        return any ? v : -1;
    }

    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    /** The process's used heap in KiB, right after a full GC requested through jcmd (two, to settle). */
    private static long usedHeapAfterGc(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        Matcher m = USED.matcher(info);
        if (!m.find()) {
            throw new IllegalStateException("no 'used NK' in jcmd GC.heap_info:\n" + info);
        }
        return Long.parseLong(m.group(1));
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process p = new ProcessBuilder(jcmd, Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + pid + " " + command + " failed:\n" + out);
        }
        return out;
    }

    /** User plus system CPU of a process so far, in clock ticks (100 per second on Linux), from /proc. */
    private static long processCpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
