package dev.herald.core.model;

/** Estimated remaining time of a running job. */
public record Eta(long remainingMs, String basis) {
    public static final String RATE = "rate";
    public static final String HISTORY = "history";
}
