package dev.herald.core.command;

import dev.herald.core.model.LogLevel;
import dev.herald.core.model.RawJson;

/** A log line to append; {@code fields} may be null. */
public record LogEntry(LogLevel level, String message, RawJson fields) {
}
