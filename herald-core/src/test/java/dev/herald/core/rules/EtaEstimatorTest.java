package dev.herald.core.rules;

import dev.herald.core.model.Eta;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class EtaEstimatorTest {

    /** Feeds 1 % per second from 0 % at t=0 up to {@code upTo} %; returns the last estimate. */
    private static Eta steady(EtaEstimator e, int upTo) {
        Eta last = null;
        for (int s = 0; s <= upTo; s++) {
            last = e.observe(s * 1000L, s);
        }
        return last;
    }

    @Test
    void nullUntilEnoughSamples() {
        EtaEstimator e = new EtaEstimator();
        assertThat(e.observe(0, 0)).isNull();
        assertThat(e.observe(1000, 1)).isNull();
        assertThat(e.observe(2000, 2)).isNotNull();
    }

    @Test
    void nullWhileTheObservedSpanIsTooShort() {
        EtaEstimator e = new EtaEstimator();
        assertThat(e.observe(0, 0)).isNull();
        assertThat(e.observe(10, 1)).isNull();
        assertThat(e.observe(20, 2)).isNull();
        assertThat(e.observe(30, 3)).isNull();
    }

    @Test
    void steadyRateGivesTheRemainingTime() {
        EtaEstimator e = new EtaEstimator();
        Eta eta = steady(e, 40);
        assertThat(eta).isNotNull();
        assertThat(eta.basis()).isEqualTo(Eta.RATE);
        assertThat((double) eta.remainingMs()).isCloseTo(60_000, within(600.0));
    }

    @Test
    void steadyRateOfAnotherSpeed() {
        EtaEstimator e = new EtaEstimator();
        Eta last = null;
        for (int i = 0; i <= 20; i++) {
            last = e.observe(i * 500L, i * 2.5); // 5 % per second, at 50 %
        }
        assertThat((double) last.remainingMs()).isCloseTo(10_000, within(100.0));
    }

    @Test
    void oneBurstMovesTheEstimateOnlyPartly() {
        EtaEstimator e = new EtaEstimator();
        long before = steady(e, 40).remainingMs(); // ~60 s at 1 %/s
        Eta after = e.observe(41_000, 60); // +20 % in one second
        assertThat(after).isNotNull();
        long naiveAfterBurst = Math.round(40 / 0.02); // 2 000 ms if only the last interval counted
        long steadyAfterBurst = 40_000; // 40 % left at the old 1 %/s
        assertThat(after.remainingMs()).isLessThan(before);
        assertThat(after.remainingMs()).isGreaterThan(naiveAfterBurst * 3);
        assertThat(after.remainingMs()).isLessThan(steadyAfterBurst);
    }

    @Test
    void progressGoingBackwardsResets() {
        EtaEstimator e = new EtaEstimator();
        assertThat(steady(e, 40)).isNotNull();
        assertThat(e.observe(41_000, 10)).isNull();
        assertThat(e.observe(42_000, 11)).isNull(); // one sample after the reset is not enough
        Eta fresh = e.observe(43_000, 12);
        assertThat(fresh).isNotNull();
        assertThat((double) fresh.remainingMs()).isCloseTo(88_000, within(900.0));
    }

    @Test
    void stalledJobHasNoEstimateOrAGrowingOneNeverNegative() {
        EtaEstimator e = new EtaEstimator();
        long previous = steady(e, 40).remainingMs();
        for (int s = 41; s <= 400; s++) {
            Eta eta = e.observe(s * 1000L, 40);
            if (eta != null) {
                assertThat(eta.remainingMs()).isGreaterThanOrEqualTo(previous).isNotNegative();
                previous = eta.remainingMs();
            }
        }
        assertThat(previous).isGreaterThan(60_000);
    }

    @Test
    void stalledFromTheStartHasNoEstimate() {
        EtaEstimator e = new EtaEstimator();
        for (int s = 0; s < 100; s++) {
            assertThat(e.observe(s * 1000L, 0)).isNull();
        }
    }

    @Test
    void sameTimestampDoesNotBreakTheEstimate() {
        EtaEstimator e = new EtaEstimator();
        steady(e, 40);
        Eta eta = e.observe(40_000, 41);
        assertThat(eta).isNotNull();
        assertThat(eta.remainingMs()).isNotNegative();
        Eta earlierClock = e.observe(39_000, 42);
        if (earlierClock != null) {
            assertThat(earlierClock.remainingMs()).isNotNegative();
        }
    }

    @Test
    void atHundredPercentNothingRemains() {
        EtaEstimator e = new EtaEstimator();
        steady(e, 99);
        Eta eta = e.observe(100_000, 100);
        assertThat(eta).isNotNull();
        assertThat(eta.remainingMs()).isZero();
    }
}
