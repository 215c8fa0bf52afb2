package dev.herald.client;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before trying again: exponential steps from {@code base} up to {@code cap}, each jittered
 * so that clients that failed together do not come back together, and never less than the server's
 * {@code Retry-After}. A jittered wait is half the step plus a random part of the other half; a wait with full
 * jitter is any part of the step (a watch reconnecting: with many watches, spread matters more than a floor).
 *
 * <p>A {@link Runner} waits {@link #exponential} steps between the attempts of a job whose handler threw
 * (SDK.md §7): after attempt {@code n}, {@code base × 2^(n-1)} capped at {@code cap}, jittered.
 */
public final class Backoff {
    private final long baseNanos;
    private final long capNanos;
    /** The part of each step always waited: 0.5 jittered, 0 with full jitter. */
    private final double floor;
    private final DoubleSupplier random;

    /** For tests: the random part drawn from {@code random}. */
    Backoff(Duration base, Duration cap, double floor, DoubleSupplier random) {
        this.baseNanos = base.toNanos();
        this.capNanos = cap.toNanos();
        this.floor = floor;
        this.random = random;
    }

    /**
     * Steps doubling from {@code base} up to {@code cap}, each wait between half of its step and the whole of it.
     *
     * @throws IllegalArgumentException when {@code base} is not positive or {@code cap} is below it
     */
    public static Backoff exponential(Duration base, Duration cap) {
        Arguments.positive(base, "base");
        if (Arguments.required(cap, "cap").compareTo(base) < 0) {
            throw new IllegalArgumentException("cap (" + cap + ") must not be below base (" + base + ")");
        }
        return jittered(base, cap);
    }

    /** The wait before retry number {@code retry} (0 for the first). */
    public Duration delay(int retry) {
        return delay(retry, Optional.empty());
    }

    static Backoff jittered(Duration base, Duration cap) {
        return new Backoff(base, cap, 0.5, () -> ThreadLocalRandom.current().nextDouble());
    }

    static Backoff fullJitter(Duration base, Duration cap) {
        return new Backoff(base, cap, 0, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** The wait before retry number {@code attempt} (0 for the first retry). */
    Duration delay(int attempt, Optional<Duration> retryAfter) {
        long step = baseNanos << Math.min(attempt, 30);
        if (step <= 0 || step > capNanos) {
            step = capNanos;
        }
        long fixed = (long) (step * floor);
        long jittered = fixed + (long) (random.getAsDouble() * (step - fixed));
        long asked = retryAfter.map(Duration::toNanos).orElse(0L);
        return Duration.ofNanos(Math.max(jittered, asked));
    }
}
