package dev.herald.bench;

import dev.herald.client.Herald;
import dev.herald.client.Watch;
import dev.herald.server.auth.AuthOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/**
 * The readers of {@link FanOutBench}: N SDK {@link Watch}es of one job, each its own stream (its own HTTP/1.1
 * connection), opened at most a window at a time. A {@link Herald} per watch would be a java.net.http client,
 * a selector thread and a delivery pool each, so the watches share a few clients instead, round robin.
 */
final class FanOutReaders implements AutoCloseable {
    private final List<Herald> clients = new ArrayList<>();
    private final List<Watch> watches = new ArrayList<>();
    private final VersionReader[] rs;
    private final CountDownLatch[] seen; // [0]: snapshots, [k]: the k-th update
    private final Semaphore window;
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();

    /**
     * {@code n} readers sharing {@code clients} clients, for {@code updates} updates (warm-up included), at most
     * {@code openWindow} of them being opened (connecting, snapshot not yet in) at once.
     */
    FanOutReaders(Target t, int clients, int n, int updates, int openWindow) {
        // each client reads with a key of its own, and a key may hold only so many streams
        int perKey = AuthOptions.defaults().maxStreamsPerCredential();
        for (int i = 0; i < Math.max(clients, (n + perKey - 1) / perKey); i++) {
            this.clients.add(Herald.remote(t.url(), t.readerToken()));
        }
        this.rs = new VersionReader[n];
        this.seen = new CountDownLatch[updates + 1];
        for (int k = 0; k <= updates; k++) {
            seen[k] = new CountDownLatch(n);
        }
        this.window = new Semaphore(openWindow);
    }

    int size() {
        return rs.length;
    }

    int clients() {
        return clients.size();
    }

    /** Opens every reader's watch, the i-th on client i mod clients; returns once the last one is being opened. */
    void open(String job) throws InterruptedException {
        for (int i = 0; i < rs.length; i++) {
            if (!window.tryAcquire(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no reader got its snapshot within 60 s; " + i + " opened so far");
            }
            VersionReader r = new VersionReader(seen.length - 1, seen, window);
            rs[i] = r;
            Watch w = clients.get(i % clients.size()).watch(job, e -> r.onVersion(e.version()));
            w.onState(s -> {
                if (s == Watch.State.RECONNECTING || s == Watch.State.POLLING) {
                    dropped.incrementAndGet();
                } else if (s == Watch.State.CLOSED && w.error().isPresent()) {
                    window.release();
                    if (failed.incrementAndGet() <= 3) {
                        System.out.println("watch refused: " + w.error().get());
                    }
                }
            });
            watches.add(w);
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

    /** Watches the server refused. */
    int failed() {
        return failed.get();
    }

    /** Times a watch lost its stream (and reconnected or fell back to polling). */
    int dropped() {
        return dropped.get();
    }

    @Override
    public void close() {
        watches.forEach(Watch::close);
        clients.forEach(Herald::close);
    }
}
