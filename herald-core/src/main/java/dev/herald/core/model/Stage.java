package dev.herald.core.model;

/** A named stage of a job; weights are any positive numbers, normalised to 100. */
public record Stage(String name, double weight) {
    public Stage {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("stage name is required");
        }
        if (!(weight > 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("stage weight must be a positive number");
        }
    }
}
