package dev.herald.core.rules;

import dev.herald.core.model.Eta;

/**
 * Estimates a job's remaining time from its own recent rate of progress. The rate
 * is an exponentially weighted moving average over time (half-life
 * {@link #HALF_LIFE_MS}), so one burst or one stall does not make the estimate jump.
 * One instance per running job; not thread-safe (the engine holds the job's lock).
 */
public final class EtaEstimator {
    static final double HALF_LIFE_MS = 10_000;
    private static final long MIN_SPAN_MS = 500;
    private static final int MIN_SAMPLES = 2;

    private long lastTime = -1;
    private double lastPercent;
    private double rate = Double.NaN; // percent per ms
    private long observedMs;
    private int samples;

    /** Records the job's percent at {@code nowMs}; returns the estimate, or null while it knows too little. */
    public Eta observe(long nowMs, double percent) {
        if (lastTime < 0 || percent < lastPercent) {
            reset(nowMs, percent);
            return null;
        }
        long dt = nowMs - lastTime;
        if (dt <= 0) {
            lastPercent = Math.max(lastPercent, percent);
            return estimate(percent);
        }
        double instant = (percent - lastPercent) / dt;
        double keep = Math.pow(0.5, dt / HALF_LIFE_MS);
        rate = Double.isNaN(rate) ? instant : keep * rate + (1 - keep) * instant;
        observedMs += dt;
        samples++;
        lastTime = nowMs;
        lastPercent = percent;
        return estimate(percent);
    }

    private Eta estimate(double percent) {
        if (samples < MIN_SAMPLES || observedMs < MIN_SPAN_MS || !(rate > 0)) {
            return null;
        }
        double remaining = (100.0 - percent) / rate;
        if (remaining > Long.MAX_VALUE / 2.0) {
            return null;
        }
        return new Eta(Math.round(remaining), Eta.RATE);
    }

    private void reset(long nowMs, double percent) {
        lastTime = nowMs;
        lastPercent = percent;
        rate = Double.NaN;
        observedMs = 0;
        samples = 0;
    }
}
