package dev.herald.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A parent with many children (default 10 000) whose children all complete as fast as the
 * client can send the completions (a closed loop of {@code --inflight} requests over
 * {@code --connections} keep-alive connections). Measures how the parent's
 * {@code children} summary (API §1) keeps up: the time from the answer to the last
 * completion to an SDK watch of the parent holding the summary with every child
 * completed; how many {@code children} events the parent produced meanwhile (summaries
 * are coalesced, so far fewer than one per child); and the CPU time used, split between
 * the client's own threads and the rest of the JVM (the embedded server, GC and JIT).
 *
 * <p>The requests go through a {@link RequestLoop}, the reader is a {@link ChildrenSummaryReader}
 * and the CPU is split by a {@link CpuBreakdown}.
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
        try (Target t = Target.open(a.text("url"), a.text("token"), Target.FLOOD)) {
            measure(a, t);
        }
    }

    private static void measure(BenchArgs a, Target t) throws Exception {
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
            new RequestLoop(t, client, a.integer("inflight"), warmup,
                    i -> t.request(HttpMethod.POST, "/api/v1/jobs"), i -> Buffer.buffer(body), 201,
                    (i, b) -> ids[i] = Target.JSON.readTree(b.getBytes()).get("id").asText()).run(300);
            new RequestLoop(t, client, a.integer("inflight"), warmup,
                    i -> t.request(HttpMethod.POST, "/api/v1/jobs/" + ids[i] + "/complete"), i -> Buffer.buffer("{}"),
                    200, null).run(300);
            System.out.printf("warm-up: %,d children created and completed under another parent in %.1f s%n",
                    warmup, (System.nanoTime() - w0) / 1e9);
        }
        String parent = createJob(t, client, "{\"type\":\"bench-hierarchy-parent\",\"status\":\"running\"}");
        ChildrenSummaryReader reader = ChildrenSummaryReader.open(t, parent);
        try {
            reader.ready.get(10, TimeUnit.SECONDS);
            measure(a, t, client, parent, reader);
        } finally {
            reader.close();
        }
    }

    private static void measure(BenchArgs a, Target t, HttpClient client, String parent,
                                ChildrenSummaryReader reader) throws Exception {
        int n = a.integer("children");

        // setup, not measured: the children, all running, and the summary showing them
        String childBody = "{\"type\":\"bench-hierarchy-child\",\"parentId\":\"" + parent + "\",\"status\":\"running\"}";
        RequestOptions create = t.request(HttpMethod.POST, "/api/v1/jobs");
        String[] ids = new String[n];
        long s0 = System.nanoTime();
        RequestLoop setup = new RequestLoop(t, client, a.integer("inflight"), n, i -> create,
                i -> Buffer.buffer(childBody), 201,
                (i, body) -> ids[i] = Target.JSON.readTree(body.getBytes()).get("id").asText());
        setup.run(300);
        long s1 = System.nanoTime();
        long setupEvents = reader.childrenEvents.get();
        long[] allRunning = reader.await(c -> c.total() == n && c.running() == n)
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
        CpuBreakdown cpu = CpuBreakdown.start(t);
        long eventsBefore = reader.childrenEvents.get();
        CompletableFuture<long[]> allDone = reader.await(c -> c.completed() == n);
        RequestLoop burst = new RequestLoop(t, client, a.integer("inflight"), n,
                i -> t.request(HttpMethod.POST, "/api/v1/jobs/" + ids[i] + "/complete"), i -> Buffer.buffer("{}"),
                200, null);
        long b0 = System.nanoTime();
        burst.run(300);
        long lastAnswer = burst.lastAnswer.get();
        long[] done = allDone.get(120, TimeUnit.SECONDS);
        cpu.stop();
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

        cpu.print((done[0] - b0) / 1e9);
        System.out.println("load average after: " + Machine.loadAverage());
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

    private HierarchyBench() {
    }
}