package dev.herald.core.model;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The status of a job, with the table of allowed transitions (API §1). */
public enum JobStatus {
    PENDING, QUEUED, RUNNING, COMPLETED, FAILED, CANCELLED;

    private Set<JobStatus> next;

    static {
        PENDING.next = EnumSet.of(QUEUED, RUNNING, CANCELLED, FAILED);
        QUEUED.next = EnumSet.of(RUNNING, CANCELLED, FAILED);
        RUNNING.next = EnumSet.of(COMPLETED, FAILED, CANCELLED, QUEUED);
        COMPLETED.next = EnumSet.noneOf(JobStatus.class);
        FAILED.next = EnumSet.noneOf(JobStatus.class);
        CANCELLED.next = EnumSet.noneOf(JobStatus.class);
    }

    public boolean canMoveTo(JobStatus target) {
        return next.contains(target);
    }

    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    /** Pending or queued: waiting for a worker. */
    public boolean isWaiting() {
        return this == PENDING || this == QUEUED;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<JobStatus> fromWire(String text) {
        for (JobStatus s : values()) {
            if (s.wire().equals(text)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
