package dev.herald.core.model;

/**
 * Counts of a parent's direct children by status and their mean percent, a terminal
 * child counting as 100 (API §1).
 */
public record ChildrenSummary(
        int total, int pending, int queued, int running, int completed, int failed, int cancelled,
        double percent) {

    /** "66 pending, 1 running, 41 completed, 0 failed": queued counts as pending, cancelled only when non-zero. */
    public String text() {
        StringBuilder b = new StringBuilder()
                .append(pending + queued).append(" pending, ")
                .append(running).append(" running, ")
                .append(completed).append(" completed, ")
                .append(failed).append(" failed");
        if (cancelled > 0) {
            b.append(", ").append(cancelled).append(" cancelled");
        }
        return b.toString();
    }
}
