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

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Delivery latency from a progress update to an SSE reader, one reader on loopback
 * (DESIGN.md target: p50 under 2 ms, p99 under 10 ms). The reader holds
 * {@code GET /api/v1/jobs/{id}/events} on its own Vert.x (one event loop) and parses
 * the stream line by line; the producer posts one update at a time, each carrying a
 * sequence number in {@code metadata.seq}, and waits for the reader to see it before
 * the next. Latency runs from just before the POST is issued to the moment the reader
 * has parsed the matching {@code progress} event. A bare {@code GET /health/live} round
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
        HttpClient producer = t.vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(1));
        String job = t.createRunningJob(producer, "bench-latency");
        openReader(t, readerVertx, job).get(10, TimeUnit.SECONDS);

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
        System.out.println("delivery latency update -> SSE reader: " + delivery.summaryMillis()
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

    /** Opens the SSE stream; the future completes once the job's snapshot has arrived. */
    private static CompletableFuture<Void> openReader(Target t, Vertx readerVertx, String job) {
        HttpClient client = readerVertx.createHttpClient();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        SseLines sse = new SseLines((type, data) -> {
            long now = System.nanoTime();
            if (type.equals("snapshot")) {
                ready.complete(null);
            } else if (type.equals("progress")) {
                JsonNode seq = parse(data).path("job").path("progress").path("metadata").path("seq");
                Pending p = PENDING.get();
                if (p != null && seq.asLong(-1) == p.seq()) {
                    p.seen().complete(now);
                }
            }
        });
        RequestOptions get = t.request(HttpMethod.GET, "/api/v1/jobs/" + job + "/events")
                .putHeader("Accept", "text/event-stream");
        // on the reader's event loop, so the handlers are set before any of the stream can arrive
        readerVertx.getOrCreateContext().runOnContext(v -> client.request(get)
                .compose(req -> req.send().onSuccess(resp -> {
                    if (resp.statusCode() != 200) {
                        ready.completeExceptionally(new IllegalStateException("SSE: HTTP " + resp.statusCode()));
                        return;
                    }
                    resp.handler(sse::feed);
                    resp.endHandler(end -> System.out.println("SSE stream ended by the server"));
                }))
                .onFailure(ready::completeExceptionally));
        return ready;
    }

    private static JsonNode parse(String data) {
        try {
            return Target.JSON.readTree(data);
        } catch (Exception e) {
            throw new IllegalStateException("an SSE data line is not JSON: " + data, e);
        }
    }
}
