package dev.herald.core.rules;

import dev.herald.core.model.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PercentCalculatorTest {
    private static final List<Stage> ONE_THREE = List.of(new Stage("a", 1), new Stage("b", 3));
    private static final List<Stage> NONE = List.of();

    private static double pct(List<Stage> stages, Integer index, Double current, Double total) {
        return PercentCalculator.percent(stages, index, current, total, null, 0);
    }

    @ParameterizedTest(name = "stage {0}, {1}/{2} -> {3}")
    @CsvSource({
            "0, 0, 100, 0",
            "0, 50, 100, 12.5",
            "0, 100, 100, 25",
            "1, 0, 100, 25",
            "1, 50, 100, 62.5",
            "1, 100, 100, 100"})
    void weightsOneAndThreeAreNormalisedToHundred(int index, double current, double total, double expected) {
        assertThat(pct(ONE_THREE, index, current, total)).isCloseTo(expected, within(1e-9));
    }

    @Test
    void weightsThatSumToHundredAreUsedAsIs() {
        List<Stage> stages = List.of(new Stage("parsing", 20), new Stage("loading", 80));
        assertThat(pct(stages, 1, 400.0, 1000.0)).isCloseTo(52.0, within(1e-9));
    }

    @Test
    void fractionalWeights() {
        List<Stage> stages = List.of(new Stage("a", 0.1), new Stage("b", 0.1), new Stage("c", 0.2));
        assertThat(pct(stages, 1, 1.0, 2.0)).isCloseTo(37.5, within(1e-9));
        assertThat(pct(stages, 2, 0.0, 2.0)).isCloseTo(50.0, within(1e-9));
    }

    @Test
    void stageWithoutTotalContributesNothing() {
        assertThat(pct(ONE_THREE, 1, 500.0, null)).isCloseTo(25.0, within(1e-9));
        assertThat(pct(ONE_THREE, 0, null, null)).isZero();
    }

    @Test
    void withoutStagesItIsCurrentOverTotal() {
        assertThat(pct(NONE, null, 1.0, 3.0)).isCloseTo(100.0 / 3, within(1e-9));
        assertThat(pct(NONE, null, 3.0, 3.0)).isCloseTo(100.0, within(1e-9));
    }

    @Test
    void withoutStagesReporterPercentIsUsedWithoutTotal() {
        assertThat(PercentCalculator.percent(NONE, null, 7.0, null, 42.5, 0)).isCloseTo(42.5, within(1e-9));
        assertThat(PercentCalculator.percent(NONE, null, null, null, 42.5, 10)).isCloseTo(42.5, within(1e-9));
    }

    @Test
    void currentOverTotalWinsOverReporterPercent() {
        assertThat(PercentCalculator.percent(NONE, null, 1.0, 4.0, 90.0, 0)).isCloseTo(25.0, within(1e-9));
    }

    @Test
    void nothingToGoOnKeepsThePrevious() {
        assertThat(PercentCalculator.percent(NONE, null, null, null, null, 33.3)).isEqualTo(33.3);
        assertThat(PercentCalculator.percent(NONE, null, 5.0, null, null, 33.3)).isEqualTo(33.3);
    }

    @Test
    void neverAboveHundredOrBelowZero() {
        assertThat(pct(NONE, null, 150.0, 100.0)).isEqualTo(100.0);
        assertThat(pct(ONE_THREE, 1, 150.0, 100.0)).isEqualTo(100.0);
        assertThat(PercentCalculator.percent(NONE, null, null, null, 250.0, 0)).isEqualTo(100.0);
        assertThat(PercentCalculator.percent(NONE, null, null, null, -5.0, 0)).isEqualTo(0.0);
    }

    @Test
    void aTotalOfZeroIsNothingToDoSoTheStageIsDone() {
        assertThat(pct(NONE, null, 0.0, 0.0)).isEqualTo(100.0);
        assertThat(pct(NONE, null, null, 0.0)).as("without a current").isEqualTo(100.0);
        assertThat(pct(ONE_THREE, 1, 0.0, 0.0)).isEqualTo(100.0);
        assertThat(pct(ONE_THREE, 0, null, 0.0)).as("the first of 1:3 done").isEqualTo(25.0);
        List<Stage> oneOneTwo = List.of(new Stage("a", 1), new Stage("b", 1), new Stage("c", 2));
        assertThat(pct(oneOneTwo, 1, null, 0.0)).isEqualTo(50.0);
    }

    @Test
    void hugeCountsAreFine() {
        assertThat(pct(NONE, null, 1e300, 4e300)).isCloseTo(25.0, within(1e-9));
        assertThat(pct(NONE, null, Double.MAX_VALUE, Double.MAX_VALUE)).isCloseTo(100.0, within(1e-9));
        assertThat(pct(NONE, null, 4.611686018427388E18, 9.223372036854776E18)).isCloseTo(50.0, within(1e-9));
        assertThat(pct(ONE_THREE, 1, 1e300, 2e300)).isCloseTo(62.5, within(1e-9));
    }

    @Test
    void hugeWeightsAreNormalisedLikeSmallOnes() {
        // "weights (any positive numbers) are normalised to 100" (API §1); Stage accepts any finite positive weight
        List<Stage> big = List.of(new Stage("a", 1e307), new Stage("b", 1e307));
        assertThat(pct(big, 1, 0.0, 10.0)).isCloseTo(50.0, within(1e-9));
        assertThat(pct(big, 0, 5.0, 10.0)).isCloseTo(25.0, within(1e-9));
        List<Stage> huge = List.of(new Stage("a", 1e308), new Stage("b", 1e308));
        assertThat(pct(huge, 0, 5.0, 10.0)).isCloseTo(25.0, within(1e-9));
        assertThat(pct(huge, 1, 5.0, 10.0)).isCloseTo(75.0, within(1e-9));
    }
}
