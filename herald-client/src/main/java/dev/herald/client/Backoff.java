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
 */
final class Backoff {
    private final long baseNanos;
    private final long capNanos;
    /** The part of each step always waited: 0.5 jittered, 0 with full jitter. */
    private final double floor;
    private final DoubleSupplier random;

    Backoff(Duration base, Duration cap, double floor, DoubleSupplier random) {
        this.baseNanos = base.toNanos();
        this.capNanos = cap.toNanos();
        this.floor = floor;
        this.random = random;
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
