package dev.herald.client;

import dev.herald.core.command.ProgressReport;
import dev.herald.core.model.Progress;
import dev.herald.core.model.RawJson;
import dev.herald.core.model.Stage;

import java.util.List;

/**
 * A reporter's newest progress, kept locally, and which of its fields changed since they were last taken for
 * sending. However many calls change it, one state per job waits: that is the whole cost of coalescing.
 * It mirrors the server's rules (API §1) where the worker's checks depend on them: a move to another stage starts
 * its count afresh. Not thread-safe: its {@link JobChannel} holds the lock.
 */
final class ProgressState {
    private static final int STAGE = 1;
    private static final int CURRENT = 2;
    private static final int TOTAL = 4;
    private static final int UNIT = 8;
    private static final int PERCENT = 16;
    private static final int MESSAGE = 32;
    private static final int METADATA = 64;

    private final List<Stage> stages;
    private String stage;
    private Double current;
    private Double total;
    private String unit;
    private Double percent;
    private String message;
    private RawJson metadata;
    private int changed;

    ProgressState(List<Stage> stages, Progress initial) {
        this.stages = stages;
        this.stage = initial.stage();
        this.current = initial.current();
        this.total = initial.total();
        this.unit = initial.unit();
        this.message = initial.message();
        this.metadata = initial.metadata();
    }

    /** @throws IllegalArgumentException when the job has stages and none of them is {@code name} */
    void stage(String name) {
        if (!stages.isEmpty() && stages.stream().noneMatch(s -> s.name().equals(name))) {
            throw new IllegalArgumentException("the job has no stage '" + name + "'; its stages are "
                    + stages.stream().map(Stage::name).toList());
        }
        if (!stages.isEmpty() && stage != null && !stage.equals(name)) {
            current = null;
            total = null;
            unit = null;
        }
        stage = name;
        changed |= STAGE;
    }

    void progress(double newCurrent, Double newTotal) {
        Double limit = newTotal != null ? newTotal : total;
        if (limit != null && newCurrent > limit) {
            throw new IllegalArgumentException("current (" + newCurrent + ") would exceed total (" + limit + ")");
        }
        current = newCurrent;
        changed |= CURRENT;
        if (newTotal != null) {
            total = newTotal;
            changed |= TOTAL;
        }
    }

    void increment(double by) {
        progress((current == null ? 0 : current) + by, null);
    }

    void unit(String value) {
        unit = value;
        changed |= UNIT;
    }

    void percent(double value) {
        percent = value;
        changed |= PERCENT;
    }

    void message(String value) {
        message = value;
        changed |= MESSAGE;
    }

    void metadata(RawJson value) {
        metadata = value;
        changed |= METADATA;
    }

    boolean hasChanges() {
        return changed != 0;
    }

    /** The fields changed since the last take, as a report; null when nothing changed. */
    ProgressReport take() {
        if (changed == 0) {
            return null;
        }
        ProgressReport r = report(changed);
        changed = 0;
        return r;
    }

    /** A taken report that could not be sent: its fields are sent again, with their newest values. */
    void untake(ProgressReport r) {
        changed |= fields(r);
    }

    /**
     * A taken report the server refused for one field ({@code message} too long, say): the other fields are sent
     * again, that one only when the worker sets it anew. False when nothing else was in the report.
     */
    boolean untakeAllBut(ProgressReport r, String field) {
        int others = fields(r) & ~bit(field);
        changed |= others;
        return others != 0;
    }

    private static int fields(ProgressReport r) {
        return (r.stage() != null ? STAGE : 0) | (r.current() != null ? CURRENT : 0)
                | (r.total() != null ? TOTAL : 0) | (r.unit() != null ? UNIT : 0)
                | (r.percent() != null ? PERCENT : 0) | (r.message() != null ? MESSAGE : 0)
                | (r.metadata() != null ? METADATA : 0);
    }

    private static int bit(String field) {
        return switch (field == null ? "" : field) {
            case "stage", "stageIndex" -> STAGE;
            case "current" -> CURRENT;
            case "total" -> TOTAL;
            case "unit" -> UNIT;
            case "percent" -> PERCENT;
            case "message" -> MESSAGE;
            case "metadata" -> METADATA;
            default -> -1;
        };
    }

    private ProgressReport report(int fields) {
        // after a move to another stage the count starts afresh: send what the worker set since, even unchanged
        boolean moved = (fields & STAGE) != 0;
        return new ProgressReport(
                (fields & STAGE) != 0 ? stage : null, null,
                moved || (fields & CURRENT) != 0 ? current : null,
                moved || (fields & TOTAL) != 0 ? total : null,
                moved || (fields & UNIT) != 0 ? unit : null,
                (fields & PERCENT) != 0 ? percent : null,
                (fields & MESSAGE) != 0 ? message : null,
                (fields & METADATA) != 0 ? metadata : null);
    }
}
