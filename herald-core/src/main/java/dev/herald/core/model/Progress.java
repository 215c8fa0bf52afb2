package dev.herald.core.model;

/**
 * Where a job stands: the reporter's fields plus the percent the server computed.
 * {@code current}, {@code total}, {@code stageIndex}, {@code stage}, {@code unit},
 * {@code message} and {@code metadata} may be null.
 */
public record Progress(
        String stage,
        Integer stageIndex,
        Double current,
        Double total,
        String unit,
        double percent,
        String message,
        RawJson metadata) {

    public static final Progress NONE = new Progress(null, null, null, null, null, 0, null, null);

    public Progress withPercent(double value) {
        return new Progress(stage, stageIndex, current, total, unit, value, message, metadata);
    }
}
