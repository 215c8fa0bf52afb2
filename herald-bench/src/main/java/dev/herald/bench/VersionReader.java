package dev.herald.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;

/**
 * One watch of {@link FanOutReaders}: when each version of the job (relative to its snapshot's) arrived at its
 * listener. The watch's delivery thread writes and the producer reads, both under its lock.
 */
final class VersionReader {
    private final long[] arrivedAt;
    private final CountDownLatch[] seen;
    private final Semaphore window;
    private long snapshotVersion = -1;

    /**
     * @param seen   counted down once the snapshot ({@code [0]}) or the k-th update ({@code [k]}) is in
     * @param window released once the snapshot is in
     */
    VersionReader(int updates, CountDownLatch[] seen, Semaphore window) {
        this.arrivedAt = new long[updates + 1];
        this.seen = seen;
        this.window = window;
    }

    void onVersion(long v) {
        long now = System.nanoTime();
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
}
