package dev.herald.core.estimate;

/**
 * The smoothed rate at which a stage gets done, in stage fractions per millisecond:
 * an exponential moving average over time (half-life {@link #HALF_LIFE_MS}) with
 * bias correction, so the first samples are not pulled towards zero, and the
 * spread of the samples around it. Time between a {@link #restart} and the
 * previous sample (a pause, the queue) never enters it.
 */
final class ItemRate {
    static final double HALF_LIFE_MS = 10_000;
    private static final long MIN_SPAN_MS = 500;
    private static final int MIN_SAMPLES = 2;

    private double raw;
    private double rawSquares;
    /** The weight the average has gathered: dividing by it is the bias correction. */
    private double weight;
    private long lastMs = -1;
    private double lastDone;
    private long observedMs;
    private int samples;

    /** Takes {@code done} at {@code nowMs} as the point the next sample starts from. */
    void restart(long nowMs, double done) {
        lastMs = nowMs;
        lastDone = done;
    }

    void observe(long nowMs, double done) {
        long dt = nowMs - lastMs;
        if (lastMs < 0 || done < lastDone) {
            restart(nowMs, done);
            return;
        }
        if (dt <= 0) {
            return;
        }
        double sample = (done - lastDone) / dt;
        double keep = Math.pow(0.5, dt / HALF_LIFE_MS);
        raw = keep * raw + (1 - keep) * sample;
        rawSquares = keep * rawSquares + (1 - keep) * sample * sample;
        weight = keep * weight + (1 - keep);
        observedMs += dt;
        samples++;
        restart(nowMs, done);
    }

    /** The rate, or NaN while it has seen too little to tell. */
    double rate() {
        if (samples < MIN_SAMPLES || observedMs < MIN_SPAN_MS || weight <= 0) {
            return Double.NaN;
        }
        return raw / weight;
    }

    /** The standard deviation of the samples around the rate; NaN with the rate. */
    double spread() {
        double rate = rate();
        return Double.isNaN(rate) ? Double.NaN : Math.sqrt(Math.max(0, rawSquares / weight - rate * rate));
    }
}
