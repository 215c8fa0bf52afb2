package dev.herald.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The claim BENCHMARKS.md makes of the estimates: over the series, the history blend beats the linear and the
 * rate-only estimate at 10 and 25 % done. (On the steady series, where a run's own pace is exact by
 * construction, it does not, and BENCHMARKS.md says so.)
 */
class EtaAccuracyTest {

    @Test
    void overTheSeriesTheHistoryBlendBeatsTheLinearAndTheRateOnlyEstimateEarlyOn() {
        List<EtaSeries> series = EtaSeries.all();
        List<EtaAccuracy.Errors> measured = new ArrayList<>();
        for (int s = 0; s < series.size(); s++) {
            measured.add(EtaAccuracy.measure(series.get(s), s, 20, 40));
        }
        EtaAccuracy.Errors mean = EtaAccuracy.mean(measured);
        for (int c = 0; c < 2; c++) {
            double[] mae = mean.mae()[c];
            assertThat(mae[2]).as("at %.0f %%: blend vs linear", EtaAccuracy.CHECKPOINTS[c]).isLessThan(mae[0]);
            assertThat(mae[2]).as("at %.0f %%: blend vs rate only", EtaAccuracy.CHECKPOINTS[c]).isLessThan(mae[1]);
        }
        EtaAccuracy.Errors skewed = measured.get(2);
        assertThat(skewed.mae()[0][2]).as("stage-skewed: history knows what the weights do not")
                .isLessThan(skewed.mae()[0][0] / 5);
    }
}
