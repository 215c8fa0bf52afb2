package dev.herald.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * A parent with many children (default 10 000) whose children all complete as fast as the
 * client can send the completions (a closed loop of {@code --inflight} requests over
 * {@code --connections} keep-alive connections). Measures how the parent's
 * {@code children} summary (API §1) keeps up: the time from the answer to the last
 * completion to an SSE reader of the parent holding the summary with every child
 * completed; how many {@code children} events the parent produced meanwhile (summaries
 * are coalesced, so far fewer than one per child); and the CPU time used, split between
 * the client's own threads and the rest of the JVM (the embedded server, GC and JIT).
 */
public final class HierarchyBench {

    public static void main(String[] args) throws Exception {
        BenchArgs a = new BenchArgs("HierarchyBench [options]", args,
                "url", null, "a running server, e.g. http://127.0.0.1:8080 (default: embedded server in this JVM)",
                "token", null, "the running server's admin/write token",
                "children", "10000", "children of the one parent",
                "connections", "16", "keep-alive connections in the pool",
                "inflight", "64", "requests outstanding at any time",
                "warmup", "3000", "children created and completed under another parent first, not measured");
        Machine.printHeader("HierarchyBench");
        try (Target t = Target.open(a.text("url"), a.text("token"))) {
            Vertx readerVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
            try {
                measure(a, t, readerVertx);
            } finally {
                readerVertx.close().await(30, TimeUnit.SECONDS);
            }
        }
    }

    private static void measure(BenchArgs a, Target t, Vertx readerVertx) throws Exception {
        System.out.println(t.describe());
        System.out.println("options: " + a.effective());
        HttpClient client = t.vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setPipelining(false),
                new PoolOptions().setHttp1MaxSize(a.integer("connections")).setMaxWaitQueueSize(-1));
        int warmup = a.integer("warmup");
        if (warmup > 0) {
            long w0 = System.nanoTime();
            String warm = createJob(t, client, "{\"type\":\"bench-hierarchy-warmup\",\"status\":\"running\"}");
            String[] ids = new String[warmup];
            String body = "{\"type\":\"bench-hierarchy-warmup\",\"parentId\":\"" + warm + "\",\"status\":\"running\"}";
            new Loop(t, client, a.integer("inflight"), warmup, i -> t.request(HttpMethod.POST, "/api/v1/jobs"),
                    i -> Buffer.buffer(body), 201,
                    (i, b) -> ids[i] = Target.JSON.readTree(b.getBytes()).get("id").asText()).run(300);
            new Loop(t, client, a.integer("inflight"), warmup,
                    i -> t.request(HttpMethod.POST, "/api/v1/jobs/" + ids[i] + "/complete"), i -> Buffer.buffer("{}"),
                    200, null).run(300);
            System.out.printf("warm-up: %,d children created and completed under another parent in %.1f s%n",
                    warmup, (System.nanoTime() - w0) / 1e9);
        }
        String parent = createJob(t, client, "{\"type\":\"bench-hierarchy-parent\",\"status\":\"running\"}");
        Reader reader = Reader.open(t, readerVertx, parent);
        try {
            reader.ready.get(10, TimeUnit.SECONDS);
            measure(a, t, readerVertx, client, parent, reader);
        } finally {
            reader.close();
        }
    }

    private static void measure(BenchArgs a, Target t, Vertx readerVertx, HttpClient client, String parent,
                                Reader reader) throws Exception {
        int n = a.integer("children");

        // setup, not measured: the children, all running, and the summary showing them
        String childBody = "{\"type\":\"bench-hierarchy-child\",\"parentId\":\"" + parent + "\",\"status\":\"running\"}";
        RequestOptions create = t.request(HttpMethod.POST, "/api/v1/jobs");
        String[] ids = new String[n];
        long s0 = System.nanoTime();
        Loop setup = new Loop(t, client, a.integer("inflight"), n, i -> create, i -> Buffer.buffer(childBody), 201,
                (i, body) -> ids[i] = Target.JSON.readTree(body.getBytes()).get("id").asText());
        setup.run(300);
        long s1 = System.nanoTime();
        long setupEvents = reader.childrenEvents.get();
        long[] allRunning = reader.await(c -> c.path("total").asInt() == n && c.path("running").asInt() == n)
                .get(120, TimeUnit.SECONDS);
        System.out.printf("setup: %,d children created in %.2f s (%,.0f/s, %d refused); the reader had the summary "
                        + "with all of them running %.0f ms after the last creation's answer, after %d children events%n",
                n, (s1 - s0) / 1e9, n / ((s1 - s0) / 1e9), setup.refused.get(), (allRunning[0] - s1) / 1e6,
                allRunning[1]);
        if (setup.refused.get() > 0) {
            System.out.println("setup first error: " + setup.firstError);
        }
        Thread.sleep(500); // let the setup's write-behind settle before measuring
        long versionBefore = parentVersion(t, client, parent);

        // measured: every child completed as fast as the client can
        Set<Long> clientThreads = clientThreads(t, readerVertx);
        Map<Long, Long> cpuBefore = threadCpu();
        long gcBefore = gcMillis();
        long jitBefore = jitMillis();
        long processBefore = Machine.processCpuNanos();
        long eventsBefore = reader.childrenEvents.get();
        CompletableFuture<long[]> allDone = reader.await(c -> c.path("completed").asInt() == n);
        Loop burst = new Loop(t, client, a.integer("inflight"), n,
                i -> t.request(HttpMethod.POST, "/api/v1/jobs/" + ids[i] + "/complete"), i -> Buffer.buffer("{}"),
                200, null);
        long b0 = System.nanoTime();
        burst.run(300);
        long lastAnswer = burst.lastAnswer.get();
        long[] done = allDone.get(120, TimeUnit.SECONDS);
        long processAfter = Machine.processCpuNanos();
        long gc = gcMillis() - gcBefore;
        long jit = jitMillis() - jitBefore;
        Map<Long, Long> cpuAfter = threadCpu();
        long burstEvents = reader.childrenEvents.get() - eventsBefore;
        long versionAfter = parentVersion(t, client, parent);

        double seconds = (lastAnswer - b0) / 1e9;
        System.out.printf("burst: %,d completions answered in %.2f s (%,.0f/s, %d refused)%n",
                n, seconds, n / seconds, burst.refused.get());
        if (burst.refused.get() > 0) {
            System.out.println("burst first error: " + burst.firstError);
        }
        System.out.println("completion request latency: " + burst.latency.summaryMillis());
        System.out.printf("last completion answered -> reader has the summary with all %,d completed: %.1f ms "
                        + "(%.1f ms after the burst began)%n",
                n, (done[0] - lastAnswer) / 1e6, (done[0] - b0) / 1e6);
        System.out.printf("children events the reader got during the burst: %d (for %,d child completions); "
                        + "the parent's version went up by %d%n",
                burstEvents, n, versionAfter - versionBefore);
        System.out.printf("events the reader got during the setup: %d children events for %,d creations%n",
                setupEvents, n);

        long clientCpu = 0;
        long total = 0;
        Map<String, Long> serverByGroup = new TreeMap<>();
        for (Map.Entry<Long, Long> e : cpuAfter.entrySet()) {
            long delta = e.getValue() - cpuBefore.getOrDefault(e.getKey(), 0L);
            total += delta;
            if (clientThreads.contains(e.getKey())) {
                clientCpu += delta;
            } else {
                serverByGroup.merge(group(e.getKey()), delta, Long::sum);
            }
        }
        long process = processAfter - processBefore;
        double wall = (done[0] - b0) / 1e9;
        System.out.printf("CPU during the burst (%.2f s): this JVM %.2f s (%.2f of %d cores); client threads "
                        + "(its event loop, the SSE reader, main) %.2f s; everything else (the embedded server, "
                        + "GC, JIT) %.2f s%n",
                wall, process / 1e9, process / 1e9 / wall, Runtime.getRuntime().availableProcessors(),
                clientCpu / 1e9, (process - clientCpu) / 1e9);
        StringBuilder groups = new StringBuilder();
        serverByGroup.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue(), x.getValue()))
                .filter(e -> e.getValue() >= 5_000_000L)
                .forEach(e -> groups.append(groups.isEmpty() ? "" : ", ").append(e.getKey()).append(' ')
                        .append(String.format("%.2f s", e.getValue() / 1e9)));
        System.out.printf("  of which by thread (>= 5 ms, threads alive at the end): %s; not attributed to a "
                + "Java thread (GC, JIT compiler, threads that ended): %.2f s%n", groups, (process - total) / 1e9);
        System.out.printf("  GC: %d ms of collections (elapsed, not CPU); JIT compilation: %d ms%n", gc, jit);
        System.out.println("load average after: " + Machine.loadAverage());
    }

    private static long gcMillis() {
        long total = 0;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    private static long jitMillis() {
        var jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }

    private static String createJob(Target t, HttpClient client, String body) throws Exception {
        Buffer answer = t.send(client, t.request(HttpMethod.POST, "/api/v1/jobs"), Buffer.buffer(body), 201)
                .await(10, TimeUnit.SECONDS);
        return Target.JSON.readTree(answer.getBytes()).get("id").asText();
    }

    private static long parentVersion(Target t, HttpClient client, String id) throws Exception {
        Buffer answer = t.send(client, t.request(HttpMethod.GET, "/api/v1/jobs/" + id), Buffer.buffer(), 200)
                .await(10, TimeUnit.SECONDS);
        return Target.JSON.readTree(answer.getBytes()).get("version").asLong();
    }

    // ---- CPU by thread ----

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final Map<Long, String> NAMES = new ConcurrentHashMap<>();

    /** The client's threads: its event loop, the SSE reader's event loop, and this (main) thread. */
    private static Set<Long> clientThreads(Target t, Vertx readerVertx) throws Exception {
        CompletableFuture<Long> loop = new CompletableFuture<>();
        t.context.runOnContext(v -> loop.complete(Thread.currentThread().getId()));
        CompletableFuture<Long> reader = new CompletableFuture<>();
        readerVertx.getOrCreateContext().runOnContext(v -> reader.complete(Thread.currentThread().getId()));
        return Set.of(loop.get(10, TimeUnit.SECONDS), reader.get(10, TimeUnit.SECONDS),
                Thread.currentThread().getId());
    }

    private static Map<Long, Long> threadCpu() {
        Map<Long, Long> out = new HashMap<>();
        if (!THREADS.isThreadCpuTimeSupported()) {
            return out;
        }
        for (long id : THREADS.getAllThreadIds()) {
            long cpu = THREADS.getThreadCpuTime(id);
            var info = THREADS.getThreadInfo(id);
            if (cpu >= 0 && info != null) {
                out.put(id, cpu);
                NAMES.put(id, info.getThreadName());
            }
        }
        return out;
    }

    /** A thread's name without its number: "herald-store-read-3" -> "herald-store-read". */
    private static String group(long id) {
        return NAMES.getOrDefault(id, "?").replaceAll("[-#]?\\d+$", "");
    }

    // ---- the load ----

    /** {@code count} requests, {@code inflight} outstanding at any time, each started on the client's event loop. */
    private static final class Loop {
        interface OnAnswer {
            void accept(int index, Buffer body) throws Exception;
        }

        private final Target target;
        private final HttpClient client;
        private final int inflight;
        private final int count;
        private final IntFunction<RequestOptions> request;
        private final IntFunction<Buffer> body;
        private final int expect;
        private final OnAnswer onAnswer;
        private final AtomicInteger nextIndex = new AtomicInteger();
        private final AtomicInteger answered = new AtomicInteger();
        private final CountDownLatch finished = new CountDownLatch(1);
        final AtomicLong lastAnswer = new AtomicLong();
        final AtomicInteger refused = new AtomicInteger();
        final Histogram latency = new Histogram();
        volatile String firstError;

        Loop(Target target, HttpClient client, int inflight, int count, IntFunction<RequestOptions> request,
             IntFunction<Buffer> body, int expect, OnAnswer onAnswer) {
            this.target = target;
            this.client = client;
            this.inflight = inflight;
            this.count = count;
            this.request = request;
            this.body = body;
            this.expect = expect;
            this.onAnswer = onAnswer;
        }

        void run(int timeoutSeconds) throws InterruptedException {
            for (int i = 0; i < Math.min(inflight, count); i++) {
                target.context.runOnContext(v -> next());
            }
            if (!finished.await(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new IllegalStateException(answered.get() + " of " + count + " requests answered after "
                        + timeoutSeconds + " s");
            }
        }

        private void next() {
            int i = nextIndex.getAndIncrement();
            if (i >= count) {
                return;
            }
            long start = System.nanoTime();
            target.send(client, request.apply(i), body.apply(i), expect).onComplete(ar -> {
                long end = System.nanoTime();
                latency.record(end - start);
                if (ar.succeeded()) {
                    try {
                        if (onAnswer != null) {
                            onAnswer.accept(i, ar.result());
                        }
                    } catch (Exception e) {
                        error(e.toString());
                    }
                } else {
                    error(ar.cause().toString());
                }
                lastAnswer.accumulateAndGet(end, Math::max);
                if (answered.incrementAndGet() == count) {
                    finished.countDown();
                }
                next();
            });
        }

        private void error(String text) {
            refused.incrementAndGet();
            if (firstError == null) {
                firstError = text;
            }
        }
    }

    /** An SSE reader of the parent on its own Vert.x: counts its children events and tells when a summary shows. */
    private static final class Reader {
        private record Watch(Predicate<JsonNode> summary, CompletableFuture<long[]> seen) {
        }

        final CompletableFuture<Void> ready = new CompletableFuture<>();
        final AtomicLong childrenEvents = new AtomicLong();
        private HttpClient client;
        private final List<Watch> watches = new CopyOnWriteArrayList<>();
        private volatile JsonNode latest;

        /** Completes with {nanoTime when seen, children events so far} once a summary passes the test. */
        CompletableFuture<long[]> await(Predicate<JsonNode> summary) {
            Watch w = new Watch(summary, new CompletableFuture<>());
            watches.add(w);
            JsonNode now = latest;
            if (now != null && summary.test(now)) {
                w.seen().complete(new long[] {System.nanoTime(), childrenEvents.get()});
                watches.remove(w);
            }
            return w.seen();
        }

        private void onEvent(String type, String data) {
            long now = System.nanoTime();
            if (type.equals("children")) {
                childrenEvents.incrementAndGet();
            }
            JsonNode children;
            try {
                children = Target.JSON.readTree(data).path("job").path("children");
            } catch (Exception e) {
                throw new IllegalStateException("an SSE data line is not JSON: " + data, e);
            }
            if (type.equals("snapshot")) {
                ready.complete(null);
            }
            if (!children.isObject()) {
                return;
            }
            latest = children;
            for (Watch w : watches) {
                if (w.summary().test(children)) {
                    w.seen().complete(new long[] {now, childrenEvents.get()});
                    watches.remove(w);
                }
            }
        }

        /** Ends the stream at once: a graceful shutdown would wait for the endless response. */
        void close() throws Exception {
            client.shutdown(0, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        }

        static Reader open(Target t, Vertx readerVertx, String job) {
            Reader r = new Reader();
            HttpClient client = readerVertx.createHttpClient();
            r.client = client;
            SseLines sse = new SseLines(r::onEvent);
            RequestOptions get = t.request(HttpMethod.GET, "/api/v1/jobs/" + job + "/events")
                    .putHeader("Accept", "text/event-stream");
            // on the reader's event loop, so the handlers are set before any of the stream can arrive
            readerVertx.getOrCreateContext().runOnContext(v -> client.request(get)
                    .compose(req -> req.send().onSuccess(resp -> {
                        if (resp.statusCode() != 200) {
                            r.ready.completeExceptionally(new IllegalStateException("SSE: HTTP " + resp.statusCode()));
                            return;
                        }
                        resp.handler(sse::feed);
                        resp.endHandler(end -> System.out.println("SSE stream ended by the server"));
                    }))
                    .onFailure(r.ready::completeExceptionally));
            return r;
        }
    }

    private HierarchyBench() {
    }
}
