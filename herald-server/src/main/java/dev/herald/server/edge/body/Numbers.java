package dev.herald.server.edge.body;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;

import java.math.BigDecimal;

/**
 * Number fields. Any JSON number is read, however large, and refused by name when it does not fit: a double for
 * amounts, a whole number within bounds for counts.
 */
public final class Numbers {
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private Numbers() {
    }

    /** An amount of progress: not negative, else {@code invalid_progress}. */
    public static Shape<Double> amount() {
        return Shape.of((value, path, limits) -> notNegative(value, path),
                limits -> number().put("minimum", 0));
    }

    /** A percentage: 0 to 100, else {@code invalid_progress}. */
    public static Shape<Double> percent() {
        return Shape.of((value, path, limits) -> {
            double d = notNegative(value, path);
            if (d > 100) {
                throw HeraldException.field(ErrorCode.INVALID_PROGRESS, path, "'" + path + "' must be at most 100");
            }
            return d;
        }, limits -> number().put("minimum", 0).put("maximum", 100));
    }

    /** A number above 0, such as a weight. */
    public static Shape<Double> positive() {
        return Shape.of((value, path, limits) -> {
            double d = finite(value, path);
            if (d <= 0) {
                throw Schemas.invalid(path, "'" + path + "' must be a positive number");
            }
            return d;
        }, limits -> number().put("exclusiveMinimum", 0));
    }

    /** A whole number from {@code min} to {@code max}. */
    public static Shape<Long> whole(long min, long max) {
        return Shape.of((value, path, limits) -> {
            long n = whole(value, path);
            if (n < min || n > max) {
                throw Schemas.invalid(path, "'" + path + "' must be between " + min + " and " + max);
            }
            return n;
        }, limits -> Schemas.type("integer").put("minimum", min).put("maximum", max));
    }

    /** A position in a list: a whole number from 0 that fits an int, else {@code invalid_progress}. */
    public static Shape<Integer> index() {
        return Shape.of((value, path, limits) -> {
            long n = whole(value, path);
            if (n < 0) {
                throw HeraldException.field(ErrorCode.INVALID_PROGRESS, path, "'" + path + "' must not be negative");
            }
            if (n > Integer.MAX_VALUE) {
                throw HeraldException.field(ErrorCode.INVALID_PROGRESS, path, "'" + path + "' names no stage");
            }
            return (int) n;
        }, limits -> Schemas.type("integer").put("minimum", 0));
    }

    private static ObjectNode number() {
        return Schemas.type("number");
    }

    private static double notNegative(JsonNode value, String path) {
        double d = finite(value, path);
        if (d < 0) {
            throw HeraldException.field(ErrorCode.INVALID_PROGRESS, path, "'" + path + "' must not be negative");
        }
        return d;
    }

    /** A JSON number that fits a double. */
    private static double finite(JsonNode value, String path) {
        if (!value.isNumber()) {
            throw Schemas.invalid(path, "'" + path + "' must be a number");
        }
        double d = value.doubleValue();
        if (!Double.isFinite(d)) {
            throw Schemas.invalid(path, "'" + path + "' is too large for a number");
        }
        return d == 0 ? 0.0 : d; // no -0.0 in progress
    }

    /**
     * An integral JSON number ({@code 2} or {@code 2.0}; not {@code 2.5}), clamped to the long range so callers
     * can range-check it. Compares before converting, because converting a decimal like {@code 1e999999999} to
     * an integer would take forever.
     */
    private static long whole(JsonNode value, String path) {
        if (!value.isNumber()) {
            throw Schemas.invalid(path, "'" + path + "' must be an integer");
        }
        if (!Double.isFinite(value.doubleValue())) {
            throw Schemas.invalid(path, "'" + path + "' is too large for a number");
        }
        if (value.isIntegralNumber()) {
            return value.canConvertToLong() ? value.longValue()
                    : value.bigIntegerValue().signum() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        BigDecimal decimal = value.decimalValue();
        if (decimal.compareTo(LONG_MIN) < 0) {
            return Long.MIN_VALUE;
        }
        if (decimal.compareTo(LONG_MAX) > 0) {
            return Long.MAX_VALUE;
        }
        if (decimal.signum() != 0 && decimal.stripTrailingZeros().scale() > 0) {
            throw Schemas.invalid(path, "'" + path + "' must be an integer");
        }
        return decimal.longValue();
    }
}
