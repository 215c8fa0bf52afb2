package dev.herald.bench;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * A Herald cluster's speed (API §8, docs/cluster.md §11): 2 or 3 nodes, each {@code herald serve} in its own JVM on
 * a database of their own and the machine's Redis ({@link ClusterNodes}), then (a) progress updates accepted per
 * second across the cluster, each job's updates sent to the node that owns it but for a fraction sent to another
 * (forwarded), with the nodes' CPU per update; (b) an update sent to node 0, seen by an SDK watch on node 1, at a
 * steady rate ({@link ClusterLatency}); (c) durable events per second across the cluster: creations, log lines and
 * completions, each acknowledged only once committed. Closed loops of {@code --inflight} requests; counts only
 * what was acknowledged inside the measured window.
 */
public final class ClusterBench {
    public static void main(String[] args) throws Exception {
        BenchArgs a = new BenchArgs("ClusterBench [options]", args,
                "nodes", "2", "node processes (2 or 3)",
                "jar", "herald-cli/target/herald.jar", "the herald.jar the nodes run",
                "heap", "512m", "each node's -Xmx",
                "redis", "redis://127.0.0.1:6379", "the Redis between the nodes (the channel is the cluster's); "
                        + "none: one node on PostgreSQL alone, no bus nor cluster (with --nodes 1)",
                "part", "all", "ingest, latency, durable or all",
                "jobs", "200", "jobs the updates are spread over (created round the nodes: each owns its share)",
                "elsewhere", "0.1", "share of updates sent to a node that does not own the job (forwarded)",
                "inflight", "64", "requests outstanding at any time (ingest, durable); with --pace, at most",
                "pace", "0", "ingest: updates a second sent on a steady clock (open loop), so that CPU per update "
                        + "compares between runs on a busy machine; 0: as fast as answered (closed loop)",
                "connections", "32", "keep-alive connections to each node",
                "warmup", "60", "seconds before measuring (each part): a node's JIT needs 30-60 s under load on "
                        + "2 cores",
                "duration", "15", "seconds measured (each part)",
                "rate", "1000", "updates a second for the latency part",
                "logs", "3", "log lines per job in the durable part (between its creation and completion)");
        Machine.printHeader("ClusterBench");
        System.out.println("options: " + a.effective());
        String part = a.text("part");
        try (ClusterNodes cluster = ClusterNodes.start(a.integer("nodes"), a.text("jar"), a.text("heap"),
                a.text("redis"));
             Target t = Target.open(cluster.node(0).url(), cluster.adminToken)) {
            System.out.println(cluster.describe());
            cluster.awaitKey(t.token);
            HttpClient client = t.vertx.createHttpClient(
                    new HttpClientOptions().setKeepAlive(true).setPipelining(false),
                    new PoolOptions().setHttp1MaxSize(a.integer("connections")).setMaxWaitQueueSize(-1));
            ClusterBench bench = new ClusterBench(cluster, t, client, Double.parseDouble(a.text("elsewhere")));
            if (part.equals("all") || part.equals("ingest")) {
                bench.ingest(a);
            }
            if (part.equals("all") || part.equals("latency")) {
                new ClusterLatency(cluster, t, client).run(a.integer("rate"), a.integer("warmup"),
                        a.integer("duration"));
            }
            if (part.equals("all") || part.equals("durable")) {
                bench.durable(a);
            }
            System.out.println("load average after: " + Machine.loadAverage());
        }
    }

    private final ClusterNodes cluster;
    private final Target target;
    private final HttpClient client;
    private final double elsewhere;

    private ClusterBench(ClusterNodes cluster, Target target, HttpClient client, double elsewhere) {
        this.cluster = cluster;
        this.target = target;
        this.client = client;
        this.elsewhere = elsewhere;
    }

    /** Starts {@code pace} steps a second until {@code end}, then counts {@code lanes} down once all have ended. */
    private void paced(int pace, int inflight, long end, LongAdder heldBack, CountDownLatch lanes,
                       Supplier<Future<Integer>> step) {
        int[] outstanding = {0};
        long start = System.nanoTime();
        long[] started = {0};
        target.context.runOnContext(v -> target.vertx.setPeriodic(1, timer -> {
            long now = System.nanoTime();
            if (now > end) {
                target.vertx.cancelTimer(timer);
                while (lanes.getCount() > 0 && outstanding[0] == 0) {
                    lanes.countDown();
                }
                return;
            }
            long due = (now - start) * pace / 1_000_000_000L;
            for (; started[0] < due; started[0]++) {
                if (outstanding[0] >= inflight) {
                    heldBack.increment();
                    continue;
                }
                outstanding[0]++;
                step.get().onComplete(ar -> {
                    outstanding[0]--;
                    if (System.nanoTime() > end && outstanding[0] == 0) {
                        while (lanes.getCount() > 0) {
                            lanes.countDown();
                        }
                    }
                });
            }
        }));
    }

    /** A request to node {@code node} of the cluster, with the target's write key. */
    static RequestOptions request(Target t, ClusterNodes.Node node, HttpMethod method, String path) {
        return t.request(method, path).setPort(node.port);
    }

    /** Creates a running job on {@code node} (which then owns its tree); answers its id. */
    static Future<String> create(Target t, HttpClient client, ClusterNodes.Node node, String type) {
        return t.send(client, request(t, node, HttpMethod.POST, "/api/v1/jobs"),
                Buffer.buffer("{\"type\":\"" + type + "\",\"status\":\"running\",\"total\":1000000}"), 201)
                .map(b -> b.toJsonObject().getString("id"));
    }

    /** The owner, or another node for the {@code elsewhere} share. */
    private ClusterNodes.Node route(int owner) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (cluster.size() > 1 && random.nextDouble() < elsewhere) {
            return cluster.node((owner + 1 + random.nextInt(cluster.size() - 1)) % cluster.size());
        }
        return cluster.node(owner);
    }

    private void ingest(BenchArgs a) throws Exception {
        int count = a.integer("jobs");
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            jobs.add(create(target, client, cluster.node(i % cluster.size()), "bench-cluster-ingest")
                    .await(10, TimeUnit.SECONDS));
        }
        AtomicLong seq = new AtomicLong();
        measure("ingest", "update", a, a.integer("pace"), () -> {
            long n = seq.getAndIncrement();
            int job = (int) (n % count);
            // each job's own count, far below its total however long the run
            long current = n / count + 1;
            return target.send(client, request(target, route(job % cluster.size()), HttpMethod.POST,
                    "/api/v1/jobs/" + jobs.get(job) + "/progress"), Buffer.buffer("{\"current\":" + current + "}"), 202)
                    .map(b -> 1);
        });
    }

    /** Jobs created on a random node, given log lines and completed through their owner or, for a share, another. */
    private void durable(BenchArgs a) throws Exception {
        int logs = a.integer("logs");
        measure("durable", "durable event", a, 0, () -> {
            int owner = ThreadLocalRandom.current().nextInt(cluster.size());
            Future<String> created = create(target, client, cluster.node(owner), "bench-cluster-durable");
            Future<Integer> events = created.map(id -> 1);
            for (int i = 0; i < logs; i++) {
                int line = i;
                events = events.compose(n -> target.send(client, request(target, route(owner), HttpMethod.POST,
                        "/api/v1/jobs/" + created.result() + "/logs"),
                        Buffer.buffer("{\"level\":\"info\",\"message\":\"line " + line + "\"}"), 202).map(b -> n + 1));
            }
            return events.compose(n -> target.send(client, request(target, route(owner), HttpMethod.POST,
                    "/api/v1/jobs/" + created.result() + "/complete"), Buffer.buffer("{}"), 200).map(b -> n + 1));
        });
    }

    /**
     * A closed loop of {@code --inflight} lanes, each running {@code step} again as soon as it is done, or with
     * {@code pace} above 0 that many steps a second on a 1 ms clock, never more than {@code --inflight} outstanding
     * (the steps the limit held back are reported); a step answers how many units it had acknowledged, counted when
     * it ends inside the window.
     */
    private void measure(String name, String unit, BenchArgs a, int pace, Supplier<Future<Integer>> step)
            throws Exception {
        long windowStart = System.nanoTime() + TimeUnit.SECONDS.toNanos(a.integer("warmup"));
        long windowEnd = windowStart + TimeUnit.SECONDS.toNanos(a.integer("duration"));
        LongAdder units = new LongAdder();
        LongAdder refused = new LongAdder();
        Histogram latency = new Histogram();
        String[] firstError = {null};
        int inflight = a.integer("inflight");
        CountDownLatch lanes = new CountDownLatch(inflight);
        // a step, timed and counted when it ends inside the window
        Supplier<Future<Integer>> timed = () -> {
            long start = System.nanoTime();
            return step.get().onComplete(ar -> {
                long end = System.nanoTime();
                if (end >= windowStart && end <= windowEnd) {
                    latency.record(end - start);
                    if (ar.succeeded()) {
                        units.add(ar.result());
                    } else {
                        refused.increment();
                    }
                }
                if (ar.failed() && firstError[0] == null) {
                    firstError[0] = ar.cause().toString();
                }
            });
        };
        Runnable[] lane = new Runnable[1];
        lane[0] = () -> {
            if (System.nanoTime() > windowEnd) {
                lanes.countDown();
                return;
            }
            timed.get().onComplete(ar -> lane[0].run());
        };
        LongAdder heldBack = new LongAdder();
        if (pace > 0) {
            paced(pace, inflight, windowEnd, heldBack, lanes, timed);
        } else {
            for (int i = 0; i < inflight; i++) {
                target.context.runOnContext(v -> lane[0].run());
            }
        }
        Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(windowStart - System.nanoTime())));
        NodesCpu cpu = NodesCpu.start(cluster);
        Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(windowEnd - System.nanoTime())));
        cpu.stop();
        lanes.await(60, TimeUnit.SECONDS);
        double seconds = (windowEnd - windowStart) / 1e9;
        System.out.printf(Locale.ROOT, "%s: %,.0f %ss/s accepted across %d nodes (%,d in %.1f s; %d steps failed)%n",
                name, units.sum() / seconds, unit, cluster.size(), units.sum(), seconds, refused.sum());
        System.out.println(name + " step latency: " + latency.summaryMillis()
                + (pace > 0 ? String.format(Locale.ROOT, "; paced at %,d/s, %,d steps held back by --inflight",
                pace, heldBack.sum()) : ""));
        System.out.print(cpu.report(name, unit, units.sum()));
        if (firstError[0] != null) {
            System.out.println(name + " first error: " + firstError[0]);
        }
    }
}
