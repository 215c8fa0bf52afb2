package dev.herald.core.model;

import java.util.Locale;
import java.util.Optional;

public enum LogLevel {
    DEBUG, INFO, WARN, ERROR;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<LogLevel> fromWire(String text) {
        for (LogLevel l : values()) {
            if (l.wire().equals(text)) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }
}
