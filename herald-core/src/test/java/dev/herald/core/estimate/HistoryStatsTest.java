package dev.herald.core.estimate;

import dev.herald.core.history.RunHistory;
import dev.herald.core.history.RunRecord;
import dev.herald.core.history.StageRun;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class HistoryStatsTest {

    static RunRecord run(long parseMs, long loadMs) {
        return new RunRecord("import", "acme", true, Instant.EPOCH, parseMs + loadMs,
                List.of(new StageRun("parse", parseMs, null), new StageRun("load", loadMs, 10.0)));
    }

    @Test
    void percentilesOfDurationsAndMediansOfStagesInTheirOrder() {
        List<RunRecord> runs = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            runs.add(run(i * 100, i * 1000));
        }
        HistoryStats stats = HistoryStats.of(new RunHistory("import", "acme", 12, 10, runs));
        assertThat(stats.sampleSize()).isEqualTo(10);
        assertThat(stats.p50()).isEqualTo(6050);
        assertThat(stats.p10()).isEqualTo(2090);
        assertThat(stats.p90()).isEqualTo(10_010);
        assertThat(stats.stageMedians()).containsExactly(
                org.assertj.core.api.Assertions.entry("parse", 550L),
                org.assertj.core.api.Assertions.entry("load", 5500L));
        assertThat(stats.successRate()).isCloseTo(10 / 12.0, within(1e-9));
        assertThat(stats.stageMedian("unknown")).isNull();
    }

    @Test
    void oneSlowOutlierMovesNoMedian() {
        List<RunRecord> runs = new ArrayList<>(List.of(run(100, 1000), run(100, 1000), run(100, 1000)));
        runs.add(run(5000, 50_000));
        runs.add(run(100, 1000));
        HistoryStats stats = HistoryStats.of(new RunHistory("import", "acme", 5, 5, runs));
        assertThat(stats.p50()).isEqualTo(1100);
        assertThat(stats.stageMedian("load")).isEqualTo(1000);
    }

    @Test
    void noHistoryKnowsNothing() {
        HistoryStats stats = HistoryStats.of(RunHistory.empty("import", "acme"));
        assertThat(stats.sampleSize()).isZero();
        assertThat(stats.successRate()).isZero();
        assertThat(stats.hasSpread()).isFalse();
        assertThat(stats.stageMedians()).isEmpty();
    }
}
