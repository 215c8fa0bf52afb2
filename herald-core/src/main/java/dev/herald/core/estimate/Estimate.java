package dev.herald.core.estimate;

import dev.herald.core.model.Eta;

/** A running job's estimate (null when nothing tells) and whether it has run past its history's p90. */
public record Estimate(Eta eta, boolean overdue) {
    public static final Estimate NONE = new Estimate(null, false);
}
