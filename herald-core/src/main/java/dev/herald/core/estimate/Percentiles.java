package dev.herald.core.estimate;

import java.util.Arrays;

/** Percentiles of a sample, interpolated between the two nearest ranks. */
final class Percentiles {
    private final long[] sorted;

    Percentiles(long[] values) {
        this.sorted = values.clone();
        Arrays.sort(sorted);
    }

    int size() {
        return sorted.length;
    }

    /** The {@code p}-th percentile (0..100); 0 for an empty sample. */
    long at(double p) {
        if (sorted.length == 0) {
            return 0;
        }
        double rank = p / 100.0 * (sorted.length - 1);
        int below = (int) Math.floor(rank);
        int above = Math.min(below + 1, sorted.length - 1);
        return Math.round(sorted[below] + (rank - below) * (sorted[above] - sorted[below]));
    }
}
