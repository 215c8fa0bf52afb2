package dev.herald.client;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Exponential steps, jittered between half and all of the step (or from none of it), capped, never below Retry-After. */
class BackoffTest {
    private static final Duration BASE = Duration.ofMillis(100);
    private static final Duration CAP = Duration.ofSeconds(5);

    private static Duration delay(double random, int attempt, Duration retryAfter) {
        return new Backoff(BASE, CAP, 0.5, () -> random).delay(attempt, Optional.ofNullable(retryAfter));
    }

    @Test
    void stepsDoubleFromTheBase() {
        assertThat(delay(0.999_999, 0, null)).isBetween(Duration.ofMillis(99), BASE);
        assertThat(delay(0.999_999, 1, null)).isBetween(Duration.ofMillis(199), Duration.ofMillis(200));
        assertThat(delay(0.999_999, 3, null)).isBetween(Duration.ofMillis(799), Duration.ofMillis(800));
    }

    @Test
    void jitterKeepsAtLeastHalfTheStep() {
        assertThat(delay(0, 2, null)).isEqualTo(Duration.ofMillis(200));
        assertThat(delay(0.5, 2, null)).isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void theCapBoundsEveryStepEvenFarOut() {
        assertThat(delay(0.999_999, 10, null)).isBetween(Duration.ofMillis(4999), CAP);
        assertThat(delay(0.999_999, 1_000, null)).isBetween(Duration.ofMillis(4999), CAP);
        assertThat(delay(0, 63, null)).isEqualTo(Duration.ofMillis(2500));
    }

    @Test
    void fullJitterMayWaitAnyPartOfTheStepUpToTheCap() {
        Backoff watch = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(20), 0, () -> 0);
        assertThat(watch.delay(0, Optional.empty())).isZero();
        assertThat(new Backoff(Duration.ofMillis(500), Duration.ofSeconds(20), 0, () -> 0.5)
                .delay(2, Optional.empty())).isEqualTo(Duration.ofSeconds(1));
        assertThat(new Backoff(Duration.ofMillis(500), Duration.ofSeconds(20), 0, () -> 0.999_999)
                .delay(20, Optional.empty())).isBetween(Duration.ofMillis(19_999), Duration.ofSeconds(20));
    }

    @Test
    void retryAfterIsAFloorNotACeiling() {
        assertThat(delay(0, 0, Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
        assertThat(delay(0, 10, Duration.ofMillis(10))).isEqualTo(Duration.ofMillis(2500));
    }

    @Test
    void theRunnersExponentialBackoffWaitsBetweenHalfAndAllOfEachStep() {
        Backoff runner = Backoff.exponential(Duration.ofSeconds(1), Duration.ofMinutes(5));
        for (int retry = 0; retry < 12; retry++) {
            Duration step = Duration.ofSeconds(Math.min(1L << retry, 300));
            assertThat(runner.delay(retry)).isBetween(step.dividedBy(2), step);
        }
    }

    @Test
    void anExponentialBackoffNeedsAPositiveBaseAndACapNotBelowIt() {
        assertThatThrownBy(() -> Backoff.exponential(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Backoff.exponential(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cap");
    }
}
