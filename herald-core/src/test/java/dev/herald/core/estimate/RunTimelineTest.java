package dev.herald.core.estimate;

import dev.herald.core.history.RunHistory;
import dev.herald.core.history.RunRecord;
import dev.herald.core.history.StageRun;
import dev.herald.core.model.Eta;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.Progress;
import dev.herald.core.model.Stage;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The estimator on recorded series: reports at known times, the estimate each one gives. */
class RunTimelineTest {
    private static final long PAUSE_MS = 60_000;
    private static final List<Stage> STAGES = List.of(new Stage("parse", 20), new Stage("load", 80));

    private static Job unstaged(double percent) {
        return new Job.Builder().id("j").type("import").project("acme").status(JobStatus.RUNNING)
                .startedAt(Instant.EPOCH).progress(Progress.NONE.withPercent(percent)).build();
    }

    private static Job staged(int stage, double current, double total) {
        return new Job.Builder().id("j").type("import").project("acme").status(JobStatus.RUNNING)
                .startedAt(Instant.EPOCH).stages(STAGES)
                .progress(new Progress(STAGES.get(stage).name(), stage, current, total, "rows", 0, null, null))
                .build();
    }

    /** Ten past runs, each stage taking {@code parseMs} and {@code loadMs} give or take 10 %. */
    private static HistoryStats history(long parseMs, long loadMs) {
        List<RunRecord> runs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            double f = 0.91 + 0.02 * i;
            long p = Math.round(parseMs * f);
            long l = Math.round(loadMs * f);
            runs.add(new RunRecord("import", "acme", true, Instant.EPOCH, p + l,
                    List.of(new StageRun("parse", p, null), new StageRun("load", l, null))));
        }
        return HistoryStats.of(new RunHistory("import", "acme", 10, 10, runs));
    }

    @Test
    void withoutHistoryTheSmoothedRateTells() {
        RunTimeline t = new RunTimeline(PAUSE_MS);
        t.started(0, unstaged(0));
        for (int s = 1; s <= 40; s++) {
            t.observe(s * 1000L, unstaged(s));
        }
        Eta eta = t.estimate(40_000, unstaged(40), HistoryStats.NONE).eta();
        assertThat(eta.basis()).isEqualTo(Eta.RATE);
        assertThat(eta.remainingMs()).as("1 %% a second, 60 %% to go").isEqualTo(60_000);
        assertThat(eta.sampleSize()).isZero();
        assertThat(eta.low()).isLessThanOrEqualTo(eta.remainingMs());
        assertThat(eta.high()).isGreaterThanOrEqualTo(eta.remainingMs());
    }

    @Test
    void atTheStartHistoryAloneTellsWithItsRange() {
        RunTimeline t = new RunTimeline(PAUSE_MS);
        t.started(0, staged(0, 0, 100));
        Eta eta = t.estimate(0, staged(0, 0, 100), history(10_000, 40_000)).eta();
        assertThat(eta.basis()).isEqualTo(Eta.HISTORY);
        assertThat(eta.sampleSize()).isEqualTo(10);
        assertThat(eta.remainingMs()).as("the medians of both stages").isEqualTo(50_000);
        assertThat(eta.low()).isBetween(45_000L, 47_000L);
        assertThat(eta.high()).isBetween(53_000L, 55_000L);
    }

    @Test
    void theRateWeighsMoreTheFartherTheStageHasCome() {
        HistoryStats history = history(10_000, 40_000);
        RunTimeline t = new RunTimeline(PAUSE_MS);
        t.started(0, staged(1, 0, 100));
        // this run loads twice as fast as history: 5 rows a second, 20 s for the stage
        for (int s = 1; s <= 16; s++) {
            t.observe(s * 1000L, staged(1, 5 * s, 100));
        }
        Eta late = t.estimate(16_000, staged(1, 80, 100), history).eta();
        assertThat(late.basis()).isEqualTo(Eta.BLEND);
        double byRate = 4_000;
        // history's 8 s for the last fifth, scaled by the pace: 16 s for 80 % against 32 s, trusted 80 %
        double pace = 1 + 0.8 * (16_000 / (0.8 * 40_000) - 1);
        double byHistory = 0.2 * 40_000 * pace;
        assertThat((double) late.remainingMs()).isCloseTo(0.8 * byRate + 0.2 * byHistory, within(50.0));
    }

    @Test
    void historyIsScaledByThePaceOfTheStagesThisRunHasFinished() {
        HistoryStats history = history(10_000, 40_000);
        RunTimeline t = new RunTimeline(PAUSE_MS);
        t.started(0, staged(0, 0, 100));
        t.observe(20_000, staged(0, 100, 100));
        t.observe(20_000, staged(1, 0, 100));
        Eta eta = t.estimate(20_000, staged(1, 0, 100), history).eta();
        assertThat(eta.remainingMs()).as("parsing took twice its median: loading likely will too").isEqualTo(80_000);
    }

    @Test
    void laterStagesWithoutHistoryFollowTheCurrentPaceByWeight() {
        RunTimeline t = new RunTimeline(PAUSE_MS);
        t.started(0, staged(0, 0, 100));
        for (int s = 1; s <= 5; s++) {
            t.observe(s * 1000L, staged(0, 10 * s, 100));
        }
        Eta eta = t.estimate(5000, staged(0, 50, 100), HistoryStats.NONE).eta();
        assertThat(eta.basis()).isEqualTo(Eta.RATE);
        assertThat(eta.remainingMs()).as("5 s of parsing left, then 4 × 10 s of loading").isEqualTo(45_000);
    }

    @Test
    void aPauseCountsNeitherInTheRateNorInTheRunningTime() {
        RunTimeline t = new RunTimeline(PAUSE_MS);
        t.started(0, unstaged(0));
        for (int s = 1; s <= 10; s++) {
            t.observe(s * 1000L, unstaged(s));
        }
        long resumed = 10_000 + 600_000;
        for (int s = 11; s <= 20; s++) {
            t.observe(resumed + (s - 10) * 1000L, unstaged(s));
        }
        Eta eta = t.estimate(resumed + 10_000, unstaged(20), HistoryStats.NONE).eta();
        assertThat(eta.remainingMs()).isEqualTo(80_000);
        RunRecord run = t.finish(resumed + 10_000, unstaged(20).toBuilder().status(JobStatus.COMPLETED).build());
        assertThat(run.durationMs()).as("the whole silent gap left out, up to the report that ended it")
                .isEqualTo(19_000);
    }

    @Test
    void theFinishedRunKeepsEachStageWithItsItemsPerSecond() {
        RunTimeline t = new RunTimeline(PAUSE_MS);
        t.started(0, staged(0, 0, 100));
        t.observe(2000, staged(0, 100, 100));
        t.observe(3000, staged(1, 0, 400));
        t.observe(7000, staged(1, 400, 400));
        RunRecord run = t.finish(7000, staged(1, 400, 400).toBuilder().status(JobStatus.COMPLETED).build());
        assertThat(run.succeeded()).isTrue();
        assertThat(run.durationMs()).isEqualTo(7000);
        assertThat(run.stages()).containsExactly(new StageRun("parse", 3000, 100 / 3.0),
                new StageRun("load", 4000, 100.0));
    }

    @Test
    void aRunSeenOnlyFromTheMiddleKeepsItsDurationButNoStages() {
        RunTimeline t = new RunTimeline(PAUSE_MS);
        t.observe(30_000, staged(1, 10, 100));
        RunRecord run = t.finish(40_000, staged(1, 100, 100).toBuilder().status(JobStatus.FAILED).build());
        assertThat(run.succeeded()).isFalse();
        assertThat(run.durationMs()).as("since startedAt").isEqualTo(40_000);
        assertThat(run.stages()).isEmpty();
    }

    @Test
    void overduePastHistorysNinetiethPercentile() {
        HistoryStats history = history(10_000, 40_000);
        RunTimeline t = new RunTimeline(PAUSE_MS);
        t.started(0, staged(0, 0, 100));
        t.observe(50_000, staged(1, 10, 100));
        assertThat(t.estimate(50_000, staged(1, 10, 100), history).overdue()).isFalse();
        assertThat(t.estimate(50_000 + 8_000, staged(1, 10, 100), history).overdue()).isTrue();
        assertThat(t.estimate(50_000, staged(1, 10, 100), HistoryStats.NONE).overdue())
                .as("no history, no limit").isFalse();
    }

    @Test
    void noRateAndNoHistoryIsNoEstimate() {
        RunTimeline t = new RunTimeline(PAUSE_MS);
        t.started(0, staged(0, 0, 100));
        assertThat(t.estimate(0, staged(0, 0, 100), HistoryStats.NONE)).isEqualTo(Estimate.NONE);
        assertThat(t.estimate(0, staged(0, 0, 100).toBuilder().status(JobStatus.QUEUED).build(),
                history(1, 1))).isEqualTo(Estimate.NONE);
    }
}
