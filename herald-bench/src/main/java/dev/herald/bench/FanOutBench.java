package dev.herald.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.util.concurrent.TimeUnit;

/**
 * Fan-out of one job to many SSE readers (DESIGN.md: 10 000 readers on one node, every
 * reader has the update, p99 under 250 ms) and, given the server's process id, the heap
 * an idle SSE stream costs the server (DESIGN.md: under 16 KiB each).
 *
 * <p>N readers are SDK watches of the same job, each holding {@code GET /api/v1/jobs/{id}/events}
 * on its own HTTP/1.1 connection, sharing a few SDK clients ({@link FanOutReaders}). A reader
 * notes when each version reached its listener ({@link VersionReader}), so the figures include
 * the SDK's parsing and its hop to a delivery thread. Once every reader has its snapshot,
 * the producer posts K updates at a fixed pace; for each, the latency of a reader runs from
 * just before the POST is issued to that reader having the event with the version the POST
 * answered.
 *
 * <p>With {@code --server-pid}, the server's used heap is read after a full GC
 * ({@code jcmd PID GC.run}, then {@code GC.heap_info}) with the job created and no stream
 * open, and again with the N streams open and idle (snapshot delivered, before any update).
 * That needs the server in its own JVM ({@code --url}), so the client's heap does not count.
 */
public final class FanOutBench {

    public static void main(String[] args) throws Exception {
        BenchArgs a = new BenchArgs("FanOutBench [options]", args,
                "url", null, "a running server, e.g. http://127.0.0.1:8080 (default: embedded server in this JVM)",
                "token", null, "the running server's admin token: the readers get read keys of their own",
                "readers", "10000", "SSE readers of the one job, one connection each",
                "updates", "20", "measured updates",
                "warmup", "2", "updates sent (and checked) before measuring",
                "interval-ms", "500", "pace of the updates: one every this many ms",
                "clients", "4", "SDK clients (Herald: a java.net.http client and a read key each) the readers' watches share; "
                        + "more when a key would hold more streams than the default limit",
                "open-window", "256", "readers being opened (connected, snapshot not yet in) at once",
                "idle-s", "3", "seconds the open streams sit idle before the heap is read",
                "server-pid", null, "process id of the --url server: read its heap with jcmd, 0 and N idle streams");
        Machine.printHeader("FanOutBench");
        try (Target t = Target.open(a.text("url"), a.text("token"))) {
            measure(a, t);
        }
    }

    private static void measure(BenchArgs a, Target t) throws Exception {
        System.out.println(t.describe());
        System.out.println("options: " + a.effective());
        int n = a.integer("readers");
        int total = a.integer("warmup") + a.integer("updates");
        String pid = a.text("server-pid");
        ServerProcess server = pid == null ? null : new ServerProcess(Long.parseLong(pid));

        HttpClient producer = t.vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(1));
        String job = t.createRunningJob(producer, "bench-fanout");

        long heap0 = -1;
        if (server != null) {
            heap0 = server.usedHeapAfterGc();
            System.out.printf("server heap used after full GC, job created, 0 streams: %,d KiB%n", heap0);
        }
        try (FanOutReaders readers = new FanOutReaders(t, a.integer("clients"), n, total, a.integer("open-window"))) {
            System.out.println("readers: " + n + " SDK watches sharing " + readers.clients() + " clients");
            open(job, readers, server);
            measure(a, t, producer, job, readers, server, heap0);
        }
    }

    private static void measure(BenchArgs a, Target t, HttpClient producer, String job, FanOutReaders readers,
                                ServerProcess server, long heap0) throws Exception {
        if (server != null) {
            Thread.sleep(a.integer("idle-s") * 1000L);
            long heapN = server.usedHeapAfterGc();
            System.out.printf("server heap used after full GC, %,d idle streams: %,d KiB%n",
                    readers.withSnapshot(), heapN);
            System.out.printf("idle SSE stream cost: (%,d - %,d) KiB / %,d = %.2f KiB of server heap each%n",
                    heapN, heap0, readers.withSnapshot(), (heapN - heap0) / (double) readers.withSnapshot());
        }
        update(a, t, producer, job, readers, server);
    }

    /** Opens the readers, at most open-window at a time, and reports how fast and at what CPU cost. */
    private static void open(String job, FanOutReaders readers, ServerProcess server) throws Exception {
        long cpu0 = Machine.processCpuNanos();
        long serverCpu0 = server == null ? -1 : server.cpuTicks();
        long openStart = System.nanoTime();
        readers.open(job);
        if (!readers.await(0, 120, TimeUnit.SECONDS)) {
            System.out.println("only " + readers.withSnapshot() + " of " + readers.size()
                    + " readers had their snapshot after 120 s");
        }
        long openNanos = System.nanoTime() - openStart;
        System.out.printf("%,d readers open with their snapshot in %.2f s (%,.0f/s), %d failed to open%n",
                readers.withSnapshot(), openNanos / 1e9, readers.withSnapshot() / (openNanos / 1e9), readers.failed());
        System.out.printf("CPU to open them: client JVM %.2f s%s%n", (Machine.processCpuNanos() - cpu0) / 1e9,
                serverCpu(server, serverCpu0));
    }

    /** Posts the warm-up and measured updates at a fixed pace and reports how fast every reader had each. */
    private static void update(BenchArgs a, Target t, HttpClient producer, String job, FanOutReaders readers,
                               ServerProcess server) throws Exception {
        int n = a.integer("readers");
        int warmup = a.integer("warmup");
        int total = warmup + a.integer("updates");
        int interval = a.integer("interval-ms");
        Histogram measured = new Histogram();
        RequestOptions post = t.request(HttpMethod.POST, "/api/v1/jobs/" + job + "/progress");
        int everyReader = 0;
        long cpu1 = Machine.processCpuNanos();
        long serverCpu1 = server == null ? -1 : server.cpuTicks();
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
            boolean allIn = readers.await(k, 10, TimeUnit.SECONDS);
            long lastIn = System.nanoTime();
            Histogram one = new Histogram();
            boolean measuring = k > warmup;
            int got = readers.arrivals(version, start, latency -> {
                one.record(latency);
                if (measuring) {
                    measured.record(latency);
                }
            });
            if (got == n) {
                everyReader++;
            }
            System.out.printf("%s %2d (version %d): %,d/%,d readers, 202 after %s ms, p50 %s ms, p99 %s ms, max %s ms%s%n",
                    k <= warmup ? "warm-up" : "update ", k, version, got, n, Histogram.ms(acked - start),
                    Histogram.ms(one.percentile(50)), Histogram.ms(one.percentile(99)), Histogram.ms(one.max()),
                    allIn ? "" : " (gave up waiting after " + Histogram.ms(lastIn - start) + " ms)");
        }
        double runSeconds = (System.nanoTime() - runStart) / 1e9;
        System.out.println("fan-out latency update -> every reader (measured updates): " + measured.summaryMillis());
        System.out.printf("readers that had every measured update: %,d of %,d; updates every reader had: %d of %d%n",
                readers.complete(warmup), n, everyReader, total);
        System.out.printf("CPU during the updates (%.1f s): client JVM %.2f s%s%n", runSeconds,
                (Machine.processCpuNanos() - cpu1) / 1e9, serverCpu(server, serverCpu1));
        System.out.println("streams the watches lost (and reconnected or polled): " + readers.dropped());
        System.out.println("load average after: " + Machine.loadAverage());
    }

    /** ", server process S s" of CPU since {@code ticks0}, or nothing without {@code --server-pid}. */
    private static String serverCpu(ServerProcess server, long ticks0) {
        return server == null ? "" : String.format(", server process %.2f s", (server.cpuTicks() - ticks0) / 100.0);
    }

    private FanOutBench() {
    }
}
