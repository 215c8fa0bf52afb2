package dev.herald.bench;

import java.util.Arrays;

/**
 * Every recorded value, kept exactly, for percentiles after the run. Small and
 * exact rather than clever: a run records at most a few million values (8 bytes
 * each). Thread-safe; recording is a short synchronized append.
 */
public final class Histogram {
    private long[] values = new long[1 << 16];
    private int count;

    public synchronized void record(long value) {
        if (count == values.length) {
            values = Arrays.copyOf(values, values.length * 2);
        }
        values[count++] = value;
    }

    public synchronized int count() {
        return count;
    }

    /** The value at or below which {@code percent} of the values lie (nearest rank); 0 when empty. */
    public synchronized long percentile(double percent) {
        if (count == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percent / 100.0 * count);
        return sorted[Math.min(count, Math.max(1, rank)) - 1];
    }

    public synchronized long max() {
        long max = 0;
        for (int i = 0; i < count; i++) {
            max = Math.max(max, values[i]);
        }
        return max;
    }

    /** p50, p90, p99, p99.9 and max of nanosecond values, in milliseconds. */
    public String summaryMillis() {
        return String.format("p50 %s ms, p90 %s ms, p99 %s ms, p99.9 %s ms, max %s ms (n=%d)",
                ms(percentile(50)), ms(percentile(90)), ms(percentile(99)), ms(percentile(99.9)), ms(max()), count());
    }

    public static String ms(long nanos) {
        return String.format("%.3f", nanos / 1e6);
    }
}
