package dev.herald.core.model;

import java.time.Instant;

/** One log line of a job; {@code seq} counts from 1 within the job. {@code fields} may be null. */
public record LogLine(long seq, Instant time, LogLevel level, String message, RawJson fields) {
}
