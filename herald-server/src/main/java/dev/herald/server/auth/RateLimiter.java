package dev.herald.server.auth;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets, one per credential: {@code perSecond} tokens a second, holding at
 * most {@code burst}. A rate of 0 turns limiting off.
 *
 * <p>Refills follow {@link System#nanoTime}, not the server's clock: a rate is real time, and a wall clock
 * set back (or held still by a test) must neither starve nor flood a credential.
 */
public final class RateLimiter {
    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }

    private final double perSecond;
    private final double burst;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(double perSecond, double burst) {
        this.perSecond = perSecond;
        this.burst = Math.max(1, burst);
    }

    public boolean isOn() {
        return perSecond > 0;
    }

    public int burst() {
        return (int) burst;
    }

    /** Takes {@code n} tokens; 0 when allowed, else the milliseconds after which they will be there. */
    public long take(String key, int n) {
        if (perSecond <= 0) {
            return 0;
        }
        long now = System.nanoTime();
        Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(burst, now));
        synchronized (b) {
            b.tokens = Math.min(burst, b.tokens + (now - b.at) / 1e9 * perSecond);
            b.at = now;
            if (b.tokens >= n) {
                b.tokens -= n;
                return 0;
            }
            double missing = n - b.tokens;
            return Math.max(1, (long) Math.ceil(missing / perSecond * 1000));
        }
    }
}
