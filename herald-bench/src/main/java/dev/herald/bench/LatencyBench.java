package dev.herald.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.client.Herald;
import dev.herald.client.Watch;
import dev.herald.core.event.EventType;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Delivery latency from a progress update to an SSE reader, one reader on loopback
 * (DESIGN.md target: p50 under 2 ms, p99 under 10 ms). The reader is the SDK's
 * {@link Watch} of the job (its own {@link Herald}: {@code GET /api/v1/jobs/{id}/events}
 * read by java.net.http, events parsed and handed to the listener on a delivery thread);
 * the producer posts one update at a time, each carrying a sequence number in
 * {@code metadata.seq}, and waits for the listener to see it before the next. Latency
 * runs from just before the POST is issued to the moment the listener has the matching
 * {@code progress} event. A bare {@code GET /health/live} round
 * trip at the same pace is measured first, as the floor the machine itself sets.
 */
public final class LatencyBench {

    /** The update the producer waits for: its sequence number and when the reader saw it. */
    private record Pending(long seq, CompletableFuture<Long> seen) {
    }

    private static final AtomicReference<Pending> PENDING = new AtomicReference<>();

    public static void main(String[] args) throws Exception {
        BenchArgs a = new BenchArgs("LatencyBench [options]", args,
                "url", null, "a running server, e.g. http://127.0.0.1:8080 (default: embedded server in this JVM)",
                "token", null, "the running server's admin/write token",
                "samples", "2000", "measured updates",
                "warmup", "500", "updates sent before measuring",
                "interval-ms", "5", "pause between one update being seen and the next being sent");
        Machine.printHeader("LatencyBench");
        try (Target t = Target.open(a.text("url"), a.text("token"))) {
            measure(a, t);
        }
    }

    private static void measure(BenchArgs a, Target t) throws Exception {
        System.out.println(t.describe());
        System.out.println("options: " + a.effective());
        HttpClient producer = t.vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(1));
        String job = t.createRunningJob(producer, "bench-latency");
        try (Herald reader = Herald.remote(t.url(), t.token); Watch watch = openReader(reader, job)) {
            measure(a, t, producer, job);
        }
    }

    private static void measure(BenchArgs a, Target t, HttpClient producer, String job) throws Exception {
        int warmup = a.integer("warmup");
        int samples = a.integer("samples");
        int interval = a.integer("interval-ms");
        Histogram baseline = roundTrips(t, producer, warmup, samples / 4, interval);
        Histogram delivery = new Histogram();
        Histogram ack = new Histogram();
        int lost = 0;
        RequestOptions post = t.request(HttpMethod.POST, "/api/v1/jobs/" + job + "/progress");
        for (int i = 1; i <= warmup + samples; i++) {
            Pending p = new Pending(i, new CompletableFuture<>());
            PENDING.set(p);
            Buffer body = Buffer.buffer("{\"current\":" + i + ",\"metadata\":{\"seq\":" + i + "}}");
            long start = System.nanoTime();
            t.send(producer, post, body, 202).await(10, TimeUnit.SECONDS);
            long acked = System.nanoTime();
            try {
                long seen = p.seen().get(5, TimeUnit.SECONDS);
                if (i > warmup) {
                    delivery.record(seen - start);
                    ack.record(acked - start);
                }
            } catch (TimeoutException e) {
                lost++;
            }
            Thread.sleep(interval);
        }
        System.out.println("delivery latency update -> SDK watch listener: " + delivery.summaryMillis()
                + (lost > 0 ? ", " + lost + " never seen within 5 s" : ""));
        System.out.println("for comparison, POST answered (202) after: " + ack.summaryMillis());
        System.out.println("baseline, GET /health/live round trip at the same pace: " + baseline.summaryMillis());
        System.out.println("load average after: " + Machine.loadAverage());
    }

    /** The bare HTTP round trip on this machine, paced like the updates: the floor under every figure above. */
    private static Histogram roundTrips(Target t, HttpClient client, int warmup, int samples, int interval)
            throws Exception {
        Histogram h = new Histogram();
        RequestOptions health = t.request(HttpMethod.GET, "/health/live");
        for (int i = 0; i < warmup + samples; i++) {
            long start = System.nanoTime();
            t.send(client, health, Buffer.buffer(), 200).await(10, TimeUnit.SECONDS);
            if (i >= warmup) {
                h.record(System.nanoTime() - start);
            }
            Thread.sleep(interval);
        }
        return h;
    }

    /** Watches the job with the SDK; returns once the job's snapshot has arrived. */
    private static Watch openReader(Herald reader, String job) throws Exception {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Watch watch = reader.watch(job, e -> {
            long now = System.nanoTime();
            if (e.type() == EventType.SNAPSHOT) {
                ready.complete(null);
            } else if (e.type() == EventType.PROGRESS && e.job().progress().metadata() != null) {
                long seq = parse(e.job().progress().metadata().text()).path("seq").asLong(-1);
                Pending p = PENDING.get();
                if (p != null && seq == p.seq()) {
                    p.seen().complete(now);
                }
            }
        });
        ready.get(10, TimeUnit.SECONDS);
        return watch;
    }

    private static JsonNode parse(String data) {
        try {
            return Target.JSON.readTree(data);
        } catch (Exception e) {
            throw new IllegalStateException("metadata that is not JSON: " + data, e);
        }
    }
}
