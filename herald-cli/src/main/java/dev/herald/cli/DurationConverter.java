package dev.herald.cli;

import picocli.CommandLine;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads durations as people write them: a whole number and a unit, {@code ms},
 * {@code s}, {@code m}, {@code h} or {@code d} ({@code 200ms}, {@code 15s},
 * {@code 5m}, {@code 7d}), several in a row ({@code 1h30m}), or ISO-8601
 * ({@code PT15S}). Anything else is a picocli error naming the option.
 */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern PART = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");
    private static final Pattern WHOLE = Pattern.compile("(?:\\d{1,12}(?:ms|s|m|h|d))+");

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    /** @throws CommandLine.TypeConversionException with a message saying what is expected */
    public static Duration parse(String value) {
        String text = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        if (text.startsWith("p")) {
            try {
                Duration d = Duration.parse(text.toUpperCase(Locale.ROOT));
                if (!d.isNegative()) {
                    return d;
                }
            } catch (DateTimeParseException ignored) {
                // fall through to the error below
            }
            throw invalid(value);
        }
        if (!WHOLE.matcher(text).matches()) {
            throw invalid(value);
        }
        Duration total = Duration.ZERO;
        Matcher m = PART.matcher(text);
        try {
            while (m.find()) {
                long n = Long.parseLong(m.group(1));
                total = total.plus(switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                });
            }
        } catch (ArithmeticException e) {
            throw invalid(value);
        }
        return total;
    }

    /** The short form of a duration, as {@link #parse} reads it back: {@code 200ms}, {@code 15s}, {@code 7d}, {@code 1h30m}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder b = new StringBuilder();
        long days = d.toDays();
        long hours = d.toHoursPart();
        long minutes = d.toMinutesPart();
        long seconds = d.toSecondsPart();
        long millis = d.toMillisPart();
        if (days > 0) b.append(days).append('d');
        if (hours > 0) b.append(hours).append('h');
        if (minutes > 0) b.append(minutes).append('m');
        if (seconds > 0) b.append(seconds).append('s');
        if (millis > 0) b.append(millis).append("ms");
        return b.length() == 0 ? d.toString() : b.toString();
    }

    private static CommandLine.TypeConversionException invalid(String value) {
        return new CommandLine.TypeConversionException("'" + value
                + "' is not a duration: write a whole number and a unit (ms, s, m, h, d), e.g. 200ms, 15s, 5m, 7d");
    }
}
