package dev.herald.client;

import java.time.Duration;

/** Checks of the SDK's arguments, made at the call: bad input never reaches the sender's thread. */
final class Arguments {
    private Arguments() {
    }

    /** Ids, types, names: not null, not blank. */
    static String text(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " is required (got " + (value == null ? "null" : "blank text")
                    + ")");
        }
        return value;
    }

    static <T> T required(T value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " is required (got null)");
        }
        return value;
    }

    static Duration positive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be a positive duration (got " + d + ")");
        }
        return d;
    }

    /** Counts and totals: finite and not negative. */
    static double amount(double value, String what) {
        if (Double.isNaN(value) || Double.isInfinite(value) || value < 0) {
            throw new IllegalArgumentException(what + " must be a finite number, not negative (got " + value + ")");
        }
        return value;
    }
}
