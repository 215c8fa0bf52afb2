package dev.herald.core.command;

import dev.herald.core.model.RawJson;

/** What a worker reports; every field is optional, and an absent one keeps its value. */
public record ProgressReport(
        String stage,
        Integer stageIndex,
        Double current,
        Double total,
        String unit,
        Double percent,
        String message,
        RawJson metadata) {

    public static ProgressReport of(double current, double total) {
        return new ProgressReport(null, null, current, total, null, null, null, null);
    }
}
