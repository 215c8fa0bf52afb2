package dev.herald.core.model;

/**
 * Estimated remaining time of a running job (API §10): the estimate, the range
 * it is likely in, what it rests on, and how many past runs informed it.
 *
 * @param basis      {@link #RATE}, {@link #HISTORY} or {@link #BLEND}
 * @param sampleSize the number of past runs behind it, 0 for a rate alone
 */
public record Eta(long remainingMs, long low, long high, String basis, int sampleSize) {
    public static final String RATE = "rate";
    public static final String HISTORY = "history";
    public static final String BLEND = "blend";

    /** An estimate without a range, as the first format kept it. */
    public Eta(long remainingMs, String basis) {
        this(remainingMs, remainingMs, remainingMs, basis, 0);
    }
}
