package dev.herald.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Progress updates accepted over HTTP with keep-alive (DESIGN.md targets: at least
 * 20 000/s single, 50 000/s batched). A closed loop: {@code --inflight} requests are
 * always outstanding over a pool of {@code --connections} keep-alive connections
 * (no pipelining: each connection carries one request at a time, the rest wait for
 * a free connection). Counts only updates answered 202 (per entry for batches) that
 * complete inside the measured window, after a warm-up; latency is per request,
 * from just before it is issued (so it includes waiting for a free connection) to
 * its whole answer.
 */
public final class IngestBench {
    private static final int TOTAL = 1_000_000;

    public static void main(String[] args) throws Exception {
        BenchArgs a = new BenchArgs("IngestBench [options]", args,
                "url", null, "a running server, e.g. http://127.0.0.1:8080 (default: embedded server in this JVM)",
                "token", null, "the running server's admin token (the bench writes with an ordinary key it makes) "
                        + "or an ordinary write key; start that server with --write-rate and --batch-entry-rate "
                        + "above this flood",
                "server-pid", null, "process id of the --url server: its CPU per update from /proc/PID/stat",
                "mode", "both", "single, batch or both",
                "jobs", "100", "jobs the updates are spread over",
                "connections", "32", "keep-alive connections in the pool",
                "inflight", "64", "requests outstanding at any time",
                "batch", "100", "entries per POST /progress:batch",
                "warmup", "5", "seconds of warm-up before each measurement",
                "duration", "15", "seconds measured");
        String mode = a.text("mode");
        if (!mode.equals("single") && !mode.equals("batch") && !mode.equals("both")) {
            throw new IllegalArgumentException("--mode is single, batch or both, not " + mode);
        }
        Machine.printHeader("IngestBench");
        String pid = a.text("server-pid");
        ServerProcess server = pid == null ? null : new ServerProcess(Long.parseLong(pid));
        try (Target t = Target.open(a.text("url"), a.text("token"), Target.FLOOD)) {
            System.out.println(t.describe());
            System.out.println("options: " + a.effective());
            HttpClient client = t.vertx.createHttpClient(
                    new HttpClientOptions().setKeepAlive(true).setPipelining(false),
                    new PoolOptions().setHttp1MaxSize(a.integer("connections")).setMaxWaitQueueSize(-1));
            List<String> jobs = new ArrayList<>();
            for (int i = 0; i < a.integer("jobs"); i++) {
                jobs.add(t.createRunningJob(client, "bench-ingest"));
            }
            if (mode.equals("single") || mode.equals("both")) {
                new Load(t, client, jobs, 0, server).run("single", a);
            }
            if (mode.equals("batch") || mode.equals("both")) {
                new Load(t, client, jobs, a.integer("batch"), server).run("batched", a);
            }
        }
    }

    /** One measured run: single updates when {@code batch} is 0, else batches of that many entries. */
    private static final class Load {
        private final Target target;
        private final HttpClient client;
        private final List<String> jobs;
        private final int batch;
        private final ServerProcess server;
        private final AtomicLong seq = new AtomicLong();
        private final LongAdder accepted = new LongAdder();
        private final LongAdder requests = new LongAdder();
        private final LongAdder refused = new LongAdder();
        private final Histogram latency = new Histogram();
        private volatile long windowStart = Long.MAX_VALUE;
        private volatile long windowEnd = Long.MAX_VALUE;
        private volatile boolean stop;
        private volatile String firstError;

        Load(Target target, HttpClient client, List<String> jobs, int batch, ServerProcess server) {
            this.target = target;
            this.server = server;
            this.client = client;
            this.jobs = jobs;
            this.batch = batch;
        }

        void run(String name, BenchArgs a) throws Exception {
            int inflight = a.integer("inflight");
            CountDownLatch lanesDone = new CountDownLatch(inflight);
            long now = System.nanoTime();
            windowStart = now + TimeUnit.SECONDS.toNanos(a.integer("warmup"));
            windowEnd = windowStart + TimeUnit.SECONDS.toNanos(a.integer("duration"));
            for (int i = 0; i < inflight; i++) {
                target.context.runOnContext(v -> next(lanesDone));
            }
            // with --warmup 0 the window may have begun already
            Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(windowStart - System.nanoTime())) + 1);
            CpuWindow cpu = CpuWindow.start(target, server);
            Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(windowEnd - System.nanoTime())) + 1);
            cpu.stop();
            stop = true;
            if (!lanesDone.await(30, TimeUnit.SECONDS)) {
                System.out.println(name + ": warning: requests still unanswered 30 s after the window closed");
            }
            double seconds = (windowEnd - windowStart) / 1e9;
            System.out.printf("%s: %,.0f updates/s accepted (%,d updates in %.1f s; %,.0f requests/s, %d refused)%n",
                    name, accepted.sum() / seconds, accepted.sum(), seconds, requests.sum() / seconds, refused.sum());
            System.out.println(name + " request latency: " + latency.summaryMillis());
            System.out.print(cpu.report(name, accepted.sum()));
            System.out.println(name + ": load average after: " + Machine.loadAverage());
            if (firstError != null) {
                System.out.println(name + " first error: " + firstError);
            }
        }

        /** Issues one request; its completion issues the next, until the window closes. */
        private void next(CountDownLatch lanesDone) {
            if (stop) {
                lanesDone.countDown();
                return;
            }
            RequestOptions options;
            Buffer body;
            if (batch == 0) {
                long n = seq.incrementAndGet();
                options = target.request(HttpMethod.POST, "/api/v1/jobs/" + job(n) + "/progress");
                body = Buffer.buffer("{\"current\":" + (n % TOTAL) + "}");
            } else {
                options = target.request(HttpMethod.POST, "/api/v1/progress:batch");
                body = batchBody();
            }
            long start = System.nanoTime();
            target.send(client, options, body, batch == 0 ? 202 : 200)
                    .onComplete(ar -> {
                        long end = System.nanoTime();
                        if (end >= windowStart && end <= windowEnd) {
                            requests.increment();
                            latency.record(end - start);
                            long ok = ar.failed() ? 0 : batch == 0 ? 1 : count(ar.result().toString(), "\"status\":202");
                            accepted.add(ok);
                            refused.add((batch == 0 ? 1 : batch) - ok);
                        }
                        if (ar.failed() && firstError == null) {
                            firstError = ar.cause().toString();
                        }
                        next(lanesDone);
                    });
        }

        private Buffer batchBody() {
            StringBuilder b = new StringBuilder(batch * 64).append('[');
            for (int i = 0; i < batch; i++) {
                long n = seq.incrementAndGet();
                b.append(i == 0 ? "" : ",").append("{\"jobId\":\"").append(job(n))
                        .append("\",\"current\":").append(n % TOTAL).append('}');
            }
            return Buffer.buffer(b.append(']').toString());
        }

        private String job(long n) {
            return jobs.get((int) (n % jobs.size()));
        }

        private static int count(String text, String needle) {
            int n = 0;
            for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
                n++;
            }
            return n;
        }
    }
}
