package dev.herald.client;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before trying again: exponential steps from {@code base} up to {@code cap}, each jittered
 * (half the step plus a random part of the other half, so clients that failed together do not come back
 * together), and never less than the server's {@code Retry-After}.
 */
final class Backoff {
    private final long baseNanos;
    private final long capNanos;
    private final DoubleSupplier random;

    Backoff(Duration base, Duration cap, DoubleSupplier random) {
        this.baseNanos = base.toNanos();
        this.capNanos = cap.toNanos();
        this.random = random;
    }

    static Backoff jittered(Duration base, Duration cap) {
        return new Backoff(base, cap, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** The wait before retry number {@code attempt} (0 for the first retry). */
    Duration delay(int attempt, Optional<Duration> retryAfter) {
        long step = baseNanos << Math.min(attempt, 30);
        if (step <= 0 || step > capNanos) {
            step = capNanos;
        }
        long jittered = step / 2 + (long) (random.getAsDouble() * (step / 2));
        long asked = retryAfter.map(Duration::toNanos).orElse(0L);
        return Duration.ofNanos(Math.max(jittered, asked));
    }
}
