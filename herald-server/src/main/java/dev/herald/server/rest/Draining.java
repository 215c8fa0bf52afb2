package dev.herald.server.rest;

import java.time.Duration;

/**
 * A server's graceful stop begins here (docs/cluster.md §7): from {@link #begin} on, {@code /health/ready} answers 503
 * {@code draining} while the server still takes every request, so that a load balancer sends new ones elsewhere
 * before the servers close.
 */
public final class Draining {
    private final Duration period;
    private volatile long begunAt;
    private volatile boolean begun;

    public Draining(Duration period) {
        this.period = period;
    }

    /** Ready answers draining from now on. */
    public void begin() {
        if (!begun) {
            begunAt = System.nanoTime();
            begun = true;
        }
    }

    public boolean begun() {
        return begun;
    }

    /** Begins, if not yet, and waits until the period has passed since it began. Blocks. */
    public void drain() {
        begin();
        long left = period.toNanos() - (System.nanoTime() - begunAt);
        if (left <= 0) {
            return;
        }
        try {
            // a load balancer polls ready every few seconds: this is the time it takes to notice, not a wait for work
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
