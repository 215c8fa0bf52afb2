package dev.herald.server.logging;

import java.util.Objects;

/**
 * How the process logs: what is written and in which form. Defaults: {@code info}, as text.
 *
 * @param level  the least severe level written (HikariCP's pool start and stop lines stay out at {@code info})
 * @param format {@code text} lines for people, or {@code json}: one object a line for log collectors
 */
public record LogOptions(Level level, Format format) {

    /** From the most to the least verbose. */
    public enum Level { TRACE, DEBUG, INFO, WARN, ERROR }

    public enum Format { TEXT, JSON }

    public LogOptions {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(format, "format");
    }

    public static LogOptions defaults() {
        return new LogOptions(Level.INFO, Format.TEXT);
    }

    public LogOptions withLevel(Level v) {
        return new LogOptions(v, format);
    }

    public LogOptions withFormat(Format v) {
        return new LogOptions(level, v);
    }
}
