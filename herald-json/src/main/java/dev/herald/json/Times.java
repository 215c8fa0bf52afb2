package dev.herald.json;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** ISO-8601 UTC with milliseconds, the only time format on the wire (API intro). */
public final class Times {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final long SECONDS_PER_DAY = 86_400;
    /** 0001-01-01T00:00:00Z and 10000-01-01T00:00:00Z: between them a year has four digits and no sign. */
    private static final long FIRST_SECOND = LocalDate.of(1, 1, 1).toEpochDay() * SECONDS_PER_DAY;
    private static final long END_SECOND = LocalDate.of(10_000, 1, 1).toEpochDay() * SECONDS_PER_DAY;

    private Times() {
    }

    /**
     * Written by hand for the years 1 to 9999, exactly as {@link #FORMAT} would: every event carries several times,
     * and the formatter's general machinery (a zoned date-time and a print context per call) was a quarter of the
     * CPU a progress update took on a cluster node (docs/architecture.md).
     */
    public static String format(Instant t) {
        if (t == null) {
            return null;
        }
        long second = t.getEpochSecond();
        if (second < FIRST_SECOND || second >= END_SECOND) {
            return FORMAT.format(t);
        }
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(second, SECONDS_PER_DAY));
        int ofDay = (int) Math.floorMod(second, SECONDS_PER_DAY);
        byte[] text = {0, 0, 0, 0, '-', 0, 0, '-', 0, 0, 'T', 0, 0, ':', 0, 0, ':', 0, 0, '.', 0, 0, 0, 'Z'};
        digits(text, 0, 4, date.getYear());
        digits(text, 5, 2, date.getMonthValue());
        digits(text, 8, 2, date.getDayOfMonth());
        digits(text, 11, 2, ofDay / 3600);
        digits(text, 14, 2, ofDay / 60 % 60);
        digits(text, 17, 2, ofDay % 60);
        digits(text, 20, 3, t.getNano() / 1_000_000);
        return new String(text, StandardCharsets.US_ASCII);
    }

    private static void digits(byte[] text, int at, int count, int value) {
        for (int i = at + count - 1; i >= at; i--) {
            text[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    public static Instant parse(String text) {
        return text == null ? null : Instant.parse(text);
    }
}
