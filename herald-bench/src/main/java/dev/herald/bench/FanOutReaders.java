package dev.herald.bench;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/**
 * The SSE readers of {@link FanOutBench}: N streams of one job, each a {@link VersionReader}
 * on its own HTTP/1.1 connection, spread over the event loops of their own Vert.x and
 * opened at most a window at a time.
 */
final class FanOutReaders {
    private final List<Context> contexts;
    private final List<HttpClient> clients = new ArrayList<>();
    private final VersionReader[] rs;
    private final int updates;
    private final CountDownLatch[] seen; // [0]: snapshots, [k]: the k-th update
    private final Semaphore window;
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger ended = new AtomicInteger();
    private final AtomicInteger unexpected = new AtomicInteger();

    private FanOutReaders(List<Context> contexts, int n, int updates, int openWindow) {
        this.contexts = contexts;
        this.rs = new VersionReader[n];
        this.updates = updates;
        this.seen = new CountDownLatch[updates + 1];
        this.window = new Semaphore(openWindow);
    }

    /**
     * {@code n} readers, on {@code loops} event loops of {@code vertx}, for {@code updates} updates (warm-up
     * included), at most {@code openWindow} of them being opened (connected, snapshot not yet in) at once.
     */
    static FanOutReaders spread(Vertx vertx, int loops, int n, int updates, int openWindow) throws Exception {
        // one verticle instance per event loop: getOrCreateContext() from this thread would answer the same
        // context every time (Vert.x 5 ties it to the calling thread), putting every reader on one loop
        List<Context> deployed = Collections.synchronizedList(new ArrayList<>());
        vertx.deployVerticle(() -> new AbstractVerticle() {
            @Override
            public void start() {
                deployed.add(context);
            }
        }, new DeploymentOptions().setInstances(loops)).await(30, TimeUnit.SECONDS);
        FanOutReaders readers = new FanOutReaders(new ArrayList<>(deployed), n, updates, openWindow);
        for (int i = 0; i < loops; i++) {
            readers.clients.add(vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                    new PoolOptions().setHttp1MaxSize(n / loops + 1)));
        }
        for (int k = 0; k <= updates; k++) {
            readers.seen[k] = new CountDownLatch(n);
        }
        return readers;
    }

    int size() {
        return rs.length;
    }

    int loops() {
        return contexts.size();
    }

    /** The names of the event loops' threads, as each loop answers from its own. */
    Set<String> threads() throws InterruptedException {
        Set<String> threads = Collections.synchronizedSet(new TreeSet<>());
        CountDownLatch named = new CountDownLatch(contexts.size());
        for (Context c : contexts) {
            c.runOnContext(v -> {
                threads.add(Thread.currentThread().getName());
                named.countDown();
            });
        }
        named.await(10, TimeUnit.SECONDS);
        return threads;
    }

    /** Opens every reader's stream, the i-th on loop i mod loops; returns once the last one is being opened. */
    void open(RequestOptions get) throws InterruptedException {
        for (int i = 0; i < rs.length; i++) {
            if (!window.tryAcquire(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no reader got its snapshot within 60 s; " + i + " opened so far");
            }
            VersionReader r = new VersionReader(updates, seen, window, unexpected);
            rs[i] = r;
            HttpClient client = clients.get(i % clients.size());
            contexts.get(i % contexts.size()).runOnContext(v -> open(client, get, r));
        }
    }

    /** Waits for the snapshot ({@code k} 0) or the k-th update to reach every reader; false on time-out. */
    boolean await(int k, long timeout, TimeUnit unit) throws InterruptedException {
        return seen[k].await(timeout, unit);
    }

    /** How many readers have their snapshot. */
    long withSnapshot() {
        return rs.length - seen[0].getCount();
    }

    /** Tells {@code latency} when each reader had {@code version}, from {@code start}; answers how many had it. */
    int arrivals(long version, long start, LongConsumer latency) {
        int got = 0;
        for (VersionReader r : rs) {
            long at = r.arrivedAt(version);
            if (at != 0) {
                got++;
                latency.accept(at - start);
            }
        }
        return got;
    }

    /** How many readers had every update after the first {@code warmup}. */
    int complete(int warmup) {
        int complete = 0;
        for (VersionReader r : rs) {
            complete += r.hasEveryUpdateAfter(warmup) ? 1 : 0;
        }
        return complete;
    }

    int failed() {
        return failed.get();
    }

    int ended() {
        return ended.get();
    }

    int unexpected() {
        return unexpected.get();
    }

    /** Opens one stream on the calling event loop; releases the window once the snapshot is in (or it failed). */
    private void open(HttpClient client, RequestOptions get, VersionReader r) {
        SseLines sse = new SseLines(r::onEvent);
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
            resp.endHandler(end -> ended.incrementAndGet());
        })).onFailure(e -> {
            if (failed.incrementAndGet() <= 3) {
                System.out.println("SSE open failed: " + e);
            }
            window.release();
        });
    }
}
