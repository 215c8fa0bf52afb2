package dev.herald.core.history;

/**
 * One stage of a finished run.
 *
 * @param durationMs     the time the job spent running in it, pauses left out
 * @param itemsPerSecond its items over that time, or null when the stage had no total
 */
public record StageRun(String name, long durationMs, Double itemsPerSecond) {
    public StageRun {
        name = name == null ? "" : name;
    }
}
