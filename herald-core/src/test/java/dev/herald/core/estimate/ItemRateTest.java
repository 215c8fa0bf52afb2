package dev.herald.core.estimate;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ItemRateTest {

    @Test
    void unknownUntilItHasSeenEnough() {
        ItemRate rate = new ItemRate();
        rate.restart(0, 0);
        assertThat(rate.rate()).isNaN();
        rate.observe(100, 0.01);
        assertThat(rate.rate()).as("one sample").isNaN();
        rate.observe(200, 0.02);
        assertThat(rate.rate()).as("two samples, but 200 ms").isNaN();
        rate.observe(1000, 0.1);
        assertThat(rate.rate()).isCloseTo(1e-4, within(1e-9));
    }

    @Test
    void biasCorrectionMakesTheFirstSamplesTheRateNotAFractionOfIt() {
        ItemRate rate = new ItemRate();
        rate.restart(0, 0);
        rate.observe(500, 0.05);
        rate.observe(1000, 0.10);
        assertThat(rate.rate()).as("an uncorrected average would start near 0").isCloseTo(1e-4, within(1e-12));
        assertThat(rate.spread()).isCloseTo(0, within(1e-9));
    }

    @Test
    void followsAChangeOfPaceWithinAFewHalfLives() {
        ItemRate rate = new ItemRate();
        rate.restart(0, 0);
        double done = 0;
        for (long t = 1000; t <= 60_000; t += 1000) {
            done += t <= 30_000 ? 0.001 : 0.003;
            rate.observe(t, done);
        }
        assertThat(rate.rate() * 1000).as("three times as fast for the last 30 s").isCloseTo(0.003, within(0.0003));
        assertThat(rate.spread()).isPositive();
    }

    @Test
    void aRestartLeavesThePauseOut() {
        ItemRate rate = new ItemRate();
        rate.restart(0, 0);
        rate.observe(1000, 0.1);
        rate.observe(2000, 0.2);
        rate.restart(600_000, 0.2);
        rate.observe(601_000, 0.3);
        assertThat(rate.rate()).as("ten minutes of nothing never entered it").isCloseTo(1e-4, within(1e-9));
    }

    @Test
    void goingBackStartsOver() {
        ItemRate rate = new ItemRate();
        rate.restart(0, 0.5);
        rate.observe(1000, 0.6);
        rate.observe(2000, 0.1);
        rate.observe(3000, 0.2);
        assertThat(rate.rate()).as("the step back is no sample").isCloseTo(1e-4, within(1e-9));
    }
}
