package dev.herald.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One SSE stream of {@link FanOutReaders}: when each version of the job (relative to its
 * snapshot's) arrived. It only looks for the envelope's {@code "version":} in each event's
 * data, with no JSON parsing. Its event loop writes and the producer reads, both under its lock.
 */
final class VersionReader {
    private static final byte[] VERSION = "\"version\":".getBytes(StandardCharsets.US_ASCII);

    private final long[] arrivedAt;
    private final CountDownLatch[] seen;
    private final Semaphore window;
    private final AtomicInteger unexpected;
    private long snapshotVersion = -1;

    /**
     * @param seen       counted down once the snapshot ({@code [0]}) or the k-th update ({@code [k]}) is in
     * @param window     released once the snapshot is in
     * @param unexpected counts the events with no version found
     */
    VersionReader(int updates, CountDownLatch[] seen, Semaphore window, AtomicInteger unexpected) {
        this.arrivedAt = new long[updates + 1];
        this.seen = seen;
        this.window = window;
        this.unexpected = unexpected;
    }

    void onEvent(String type, String data) {
        long now = System.nanoTime();
        long v = version(data);
        if (v < 0) {
            unexpected.incrementAndGet();
            return;
        }
        synchronized (this) {
            if (snapshotVersion < 0) {
                snapshotVersion = v;
                seen[0].countDown();
                window.release();
                return;
            }
            int idx = (int) (v - snapshotVersion);
            if (idx >= 1 && idx < arrivedAt.length && arrivedAt[idx] == 0) {
                arrivedAt[idx] = now;
                seen[idx].countDown();
            }
        }
    }

    /** When {@code version} arrived (nanoTime), or 0 if it has not. */
    synchronized long arrivedAt(long version) {
        int idx = (int) (version - snapshotVersion);
        return snapshotVersion >= 0 && idx >= 1 && idx < arrivedAt.length ? arrivedAt[idx] : 0;
    }

    /** Whether the snapshot and every update after the first {@code warmup} are in. */
    synchronized boolean hasEveryUpdateAfter(int warmup) {
        boolean all = snapshotVersion >= 0;
        for (int i = warmup + 1; all && i < arrivedAt.length; i++) {
            all = arrivedAt[i] != 0;
        }
        return all;
    }

    /** The number after the first {@code "version":} of an event's data (the envelope's), or -1. */
    private static long version(String data) {
        int at = data.indexOf("\"version\":");
        if (at < 0) {
            return -1;
        }
        long v = 0;
        boolean any = false;
        for (int i = at + VERSION.length; i < data.length(); i++) {
            char c = data.charAt(i);
            if (c >= '0' && c <= '9') {
                v = v * 10 + (c - '0');
                any = true;
            } else if (c != ' ' || any) {
                break;
            }
        }
        return any ? v : -1;
    }
}
