package dev.herald.bench;

import dev.herald.client.Herald;
import dev.herald.client.Watch;
import dev.herald.core.event.EventType;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Update on node 0 → SSE reader on node 1 (API §8: p50 under 5 ms, p99 under 25 ms at 1 000 updates/s). One job,
 * created on node 0, which owns it; the SDK's {@link Watch} of it on node 1. Updates go out at a steady rate, open
 * loop (the next is sent on time whatever the last's answer), each with its number in {@code metadata.seq}; the
 * latency of one is from just before it is sent to the moment the watch on node 1 has it. A reader may be given
 * the newer of two updates only (API §3): the share seen is reported.
 */
final class ClusterLatency {
    private final ClusterNodes cluster;
    private final Target target;
    private final HttpClient client;

    ClusterLatency(ClusterNodes cluster, Target target, HttpClient client) {
        this.cluster = cluster;
        this.target = target;
        this.client = client;
    }

    void run(int rate, int warmupSeconds, int seconds) throws Exception {
        ClusterNodes.Node writer = cluster.node(0);
        ClusterNodes.Node reader = cluster.node(1 % cluster.size());
        String job = ClusterBench.create(target, client, writer, "bench-cluster-latency").await(10, TimeUnit.SECONDS);
        int warmup = rate * warmupSeconds;
        int total = warmup + rate * seconds;
        AtomicLongArray sent = new AtomicLongArray(total + 1);
        Histogram delivery = new Histogram();
        Histogram ack = new Histogram();
        LongAdder refused = new LongAdder();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        CompletableFuture<Void> last = new CompletableFuture<>();
        try (Herald sdk = Herald.remote(reader.url(), target.token);
             Watch watch = sdk.watch(job, e -> {
                 long now = System.nanoTime();
                 if (e.type() == EventType.SNAPSHOT) {
                     ready.complete(null);
                 } else if (e.type() == EventType.PROGRESS && e.job().progress().metadata() != null) {
                     int seq = seq(e.job().progress().metadata().text());
                     if (seq > warmup && seq <= total) {
                         delivery.record(now - sent.get(seq));
                     }
                     if (seq == total) {
                         last.complete(null);
                     }
                 }
             })) {
            ready.get(10, TimeUnit.SECONDS);
            RequestOptions post = ClusterBench.request(target, writer, HttpMethod.POST,
                    "/api/v1/jobs/" + job + "/progress");
            long interval = 1_000_000_000L / rate;
            long next = System.nanoTime();
            NodesCpu cpu = null;
            for (int i = 1; i <= total; i++) {
                if (i == warmup + 1) {
                    cpu = NodesCpu.start(cluster);
                }
                LockSupport.parkNanos(next - System.nanoTime());
                long start = System.nanoTime();
                sent.set(i, start);
                boolean measured = i > warmup;
                target.send(client, post, Buffer.buffer("{\"current\":" + i + ",\"metadata\":{\"seq\":" + i + "}}"),
                        202).onComplete(ar -> {
                            if (ar.failed()) {
                                refused.increment();
                            } else if (measured) {
                                ack.record(System.nanoTime() - start);
                            }
                        });
                next += interval;
            }
            boolean lastSeen = awaitLast(last);
            cpu.stop();
            System.out.printf("latency: update on node %d -> SDK watch on node %d at %d updates/s: %s; %.1f %% of %d "
                            + "measured updates seen%s%s%n", writer.index, reader.index, rate, delivery.summaryMillis(),
                    100.0 * delivery.count() / (total - warmup), total - warmup,
                    lastSeen ? "" : " (the last update was not seen within 10 s)",
                    refused.sum() > 0 ? "; " + refused.sum() + " updates refused" : "");
            System.out.println("latency: for comparison, POST answered (202) by node " + writer.index + " after: "
                    + ack.summaryMillis());
            System.out.print(cpu.report("latency", "update", rate * (long) seconds));
            // what the tail may come from: collections on either node, events held in the reader's order
            System.out.println("latency: collections, " + cluster.gcSummary(writer));
            if (reader != writer) {
                System.out.println("latency: collections, " + cluster.gcSummary(reader));
            }
            System.out.print("latency: the reader's bus meters (whole run):\n" + cluster.busMeters(reader));
        }
    }

    private static boolean awaitLast(CompletableFuture<Void> last) throws Exception {
        try {
            last.get(10, TimeUnit.SECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    private static int seq(String metadata) {
        try {
            return Target.JSON.readTree(metadata).path("seq").asInt(-1);
        } catch (Exception e) {
            throw new IllegalStateException("metadata that is not JSON: " + metadata, e);
        }
    }
}
