package dev.herald.core.event;

import java.util.Locale;
import java.util.Optional;

public enum EventType {
    SNAPSHOT, STATUS, PROGRESS, CHILDREN, LOG, DELETED;

    /** Status and log events are retained for replay and never dropped for a slow reader. */
    public boolean isRetained() {
        return this == STATUS || this == LOG;
    }

    /** A newer event of the same job replaces an undelivered one of these. */
    public boolean isConflatable() {
        return this == PROGRESS || this == CHILDREN;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<EventType> fromWire(String text) {
        for (EventType t : values()) {
            if (t.wire().equals(text)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
