package dev.herald.core.rules;

import dev.herald.core.command.ProgressReport;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.Progress;
import dev.herald.core.model.RawJson;
import dev.herald.core.model.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

class ProgressRulesTest {
    private static final Instant T = Instant.parse("2025-01-01T00:00:00.000Z");
    private static final List<Stage> ONE_THREE = List.of(new Stage("a", 1), new Stage("b", 3));
    private static final List<Stage> THREE = List.of(new Stage("download", 1), new Stage("clustering", 3),
            new Stage("report", 1));

    private static Job job(List<Stage> stages) {
        return job(stages, Progress.NONE);
    }

    private static Job job(List<Stage> stages, Progress progress) {
        return new Job.Builder().id("j_test").type("t").project("p").status(JobStatus.RUNNING).stages(stages)
                .progress(progress).createdAt(T).updatedAt(T).version(1).build();
    }

    private static ProgressReport report(String stage, Integer index, Double current, Double total) {
        return new ProgressReport(stage, index, current, total, null, null, null, null);
    }

    private static ProgressReport percent(double p) {
        return new ProgressReport(null, null, null, null, null, p, null, null);
    }

    /** Applies the report and returns the job with its new progress, as the engine would. */
    private static Job apply(Job job, ProgressReport r) {
        return job.toBuilder().progress(ProgressRules.apply(job, r)).version(job.version() + 1).build();
    }

    private static HeraldException invalid(Job job, ProgressReport r) {
        HeraldException e = catchThrowableOfType(HeraldException.class, () -> ProgressRules.apply(job, r));
        assertThat(e).as("expected invalid_progress").isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PROGRESS);
        return e;
    }

    // --- stages ---

    @Test
    void stageByNameWithNormalisedWeights() {
        Progress p = ProgressRules.apply(job(ONE_THREE), report("b", null, 50.0, 100.0));
        assertThat(p.stage()).isEqualTo("b");
        assertThat(p.stageIndex()).isEqualTo(1);
        assertThat(p.percent()).isCloseTo(62.5, within(1e-9));
    }

    @Test
    void stageByIndex() {
        Progress p = ProgressRules.apply(job(ONE_THREE), report(null, 1, 50.0, 100.0));
        assertThat(p.stage()).isEqualTo("b");
        assertThat(p.stageIndex()).isEqualTo(1);
        assertThat(p.percent()).isCloseTo(62.5, within(1e-9));
    }

    @Test
    void stageByNameAndIndexAgreeing() {
        Progress p = ProgressRules.apply(job(THREE), report("clustering", 1, 40.0, 100.0));
        assertThat(p.stageIndex()).isEqualTo(1);
        assertThat(p.percent()).isCloseTo(20 + 60 * 0.4, within(1e-9));
    }

    @Test
    void stageByNameAndIndexDisagreeing() {
        HeraldException e = invalid(job(THREE), report("clustering", 2, 1.0, 10.0));
        assertThat(e.field()).isIn("stage", "stageIndex");
    }

    @Test
    void unknownStageName() {
        assertThat(invalid(job(THREE), report("nope", null, null, null)).field()).isEqualTo("stage");
    }

    @Test
    void stageNamesAreCaseSensitive() {
        invalid(job(THREE), report("Clustering", null, null, null));
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 3, 4, Integer.MAX_VALUE, Integer.MIN_VALUE})
    void stageIndexOutOfRange(int index) {
        assertThat(invalid(job(THREE), report(null, index, null, null)).field()).isEqualTo("stageIndex");
    }

    @Test
    void stageIndexOnAJobWithoutStages() {
        assertThat(invalid(job(List.of()), report(null, 0, 1.0, 2.0)).field()).isEqualTo("stageIndex");
    }

    @Test
    void freeFormStageLabelOnAJobWithoutStages() {
        Progress p = ProgressRules.apply(job(List.of()), report("warming up", null, 1.0, 4.0));
        assertThat(p.stage()).isEqualTo("warming up");
        assertThat(p.stageIndex()).isNull();
        assertThat(p.percent()).isCloseTo(25.0, within(1e-9));
        Progress next = ProgressRules.apply(job(List.of(), p), report(null, null, 2.0, null));
        assertThat(next.stage()).isEqualTo("warming up");
        assertThat(next.percent()).isCloseTo(50.0, within(1e-9));
    }

    @Test
    void eachStageBoundary() {
        Job j = job(THREE);
        j = apply(j, report("download", null, 0.0, 10.0));
        assertThat(j.progress().percent()).isCloseTo(0, within(1e-9));
        j = apply(j, report(null, null, 10.0, null));
        assertThat(j.progress().percent()).isCloseTo(20, within(1e-9));
        j = apply(j, report("clustering", null, 0.0, 100.0));
        assertThat(j.progress().percent()).isCloseTo(20, within(1e-9));
        j = apply(j, report(null, null, 100.0, null));
        assertThat(j.progress().percent()).isCloseTo(80, within(1e-9));
        j = apply(j, report("report", null, null, null));
        assertThat(j.progress().percent()).isCloseTo(80, within(1e-9));
        j = apply(j, report(null, null, 1.0, 1.0));
        assertThat(j.progress().percent()).isCloseTo(100, within(1e-9));
    }

    @Test
    void stageWithoutTotalContributesNothing() {
        Progress p = ProgressRules.apply(job(ONE_THREE), report("b", null, 500.0, null));
        assertThat(p.percent()).isCloseTo(25.0, within(1e-9));
        assertThat(p.current()).isEqualTo(500.0);
        assertThat(p.total()).isNull();
    }

    @Test
    void reportWithoutStageOnAStagedJobIsInTheFirstStage() {
        Progress p = ProgressRules.apply(job(ONE_THREE), report(null, null, 1.0, 2.0));
        assertThat(p.stageIndex()).isEqualTo(0);
        assertThat(p.stage()).isEqualTo("a");
        assertThat(p.percent()).isCloseTo(12.5, within(1e-9));
    }

    @Test
    void totalGivenAtCreationIsKeptByTheFirstReportOnAStagedJob() {
        // a job created with {stages, total: 100, unit: "rows"} has that total before any report;
        // a first report {current: 50} leaves total absent, and "an absent field keeps its value"
        Job created = job(ONE_THREE, new Progress(null, null, null, 100.0, "rows", 0, null, null));
        Progress p = ProgressRules.apply(created, report(null, null, 50.0, null));
        assertThat(p.total()).isEqualTo(100.0);
        assertThat(p.unit()).isEqualTo("rows");
        assertThat(p.percent()).isCloseTo(12.5, within(1e-9));
    }

    @Test
    void totalGivenAtCreationIsKeptWithoutStages() {
        Job created = job(List.of(), new Progress(null, null, null, 200.0, "rows", 0, null, null));
        Progress p = ProgressRules.apply(created, report(null, null, 50.0, null));
        assertThat(p.total()).isEqualTo(200.0);
        assertThat(p.unit()).isEqualTo("rows");
        assertThat(p.percent()).isCloseTo(25.0, within(1e-9));
    }

    @Test
    void movingToANewStageResetsCurrentTotalAndUnit() {
        Job j = apply(job(THREE), new ProgressReport("download", null, 5.0, 10.0, "files", null, "m", null));
        Progress p = ProgressRules.apply(j, report("clustering", null, null, null));
        assertThat(p.stageIndex()).isEqualTo(1);
        assertThat(p.current()).isNull();
        assertThat(p.total()).isNull();
        assertThat(p.unit()).isNull();
        assertThat(p.message()).isEqualTo("m");
        assertThat(p.percent()).isCloseTo(20.0, within(1e-9));
    }

    @Test
    void stayingInTheStageByNameDoesNotReset() {
        Job j = apply(job(THREE), new ProgressReport("clustering", null, 5.0, 10.0, "points", null, null, null));
        Progress p = ProgressRules.apply(j, report("clustering", null, 6.0, null));
        assertThat(p.total()).isEqualTo(10.0);
        assertThat(p.unit()).isEqualTo("points");
        assertThat(p.percent()).isCloseTo(20 + 60 * 0.6, within(1e-9));
    }

    // --- validation ---

    @Test
    void currentAboveTotal() {
        assertThat(invalid(job(List.of()), report(null, null, 11.0, 10.0)).field()).isEqualTo("current");
    }

    @Test
    void currentAboveAnEarlierTotal() {
        Job j = apply(job(List.of()), report(null, null, 1.0, 10.0));
        invalid(j, report(null, null, 11.0, null));
    }

    @Test
    void totalBelowAnEarlierCurrent() {
        Job j = apply(job(List.of()), report(null, null, 8.0, 10.0));
        invalid(j, report(null, null, null, 5.0));
    }

    @Test
    void currentEqualToTotalIsFine() {
        assertThat(ProgressRules.apply(job(List.of()), report(null, null, 10.0, 10.0)).percent()).isEqualTo(100.0);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1, -0.0001, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            -Double.MAX_VALUE})
    void badCurrent(double v) {
        assertThat(invalid(job(List.of()), report(null, null, v, null)).field()).isEqualTo("current");
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void badTotal(double v) {
        assertThat(invalid(job(List.of()), report(null, null, null, v)).field()).isEqualTo("total");
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1, 100.0001, 101, 1e9, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void badPercent(double v) {
        assertThat(invalid(job(List.of()), percent(v)).field()).isEqualTo("percent");
    }

    @Test
    void badValuesOnAStagedJobToo() {
        invalid(job(THREE), report("clustering", null, -1.0, 10.0));
        invalid(job(THREE), report("clustering", null, 11.0, 10.0));
        invalid(job(THREE), report("clustering", null, Double.NaN, 10.0));
    }

    @Test
    void percentBoundsAreAccepted() {
        assertThat(ProgressRules.apply(job(List.of()), percent(0)).percent()).isEqualTo(0.0);
        assertThat(ProgressRules.apply(job(List.of()), percent(100)).percent()).isEqualTo(100.0);
    }

    @Test
    void totalZero() {
        Progress p = ProgressRules.apply(job(List.of()), report(null, null, 0.0, 0.0));
        assertThat(p.percent()).isNotNaN().isBetween(0.0, 100.0);
        invalid(job(List.of()), report(null, null, 1.0, 0.0));
        Progress s = ProgressRules.apply(job(ONE_THREE), report("b", null, 0.0, 0.0));
        assertThat(s.percent()).isNotNaN().isBetween(25.0, 100.0);
    }

    @Test
    void hugeNumbers() {
        Progress p = ProgressRules.apply(job(List.of()), report(null, null, 1e300, 4e300));
        assertThat(p.percent()).isCloseTo(25.0, within(1e-9));
        Progress q = ProgressRules.apply(job(List.of()), report(null, null, Double.MAX_VALUE, Double.MAX_VALUE));
        assertThat(q.percent()).isCloseTo(100.0, within(1e-9));
        HeraldException e = invalid(job(List.of()), report(null, null, Double.MAX_VALUE, 1e300));
        assertThat(e.getMessage()).contains("exceeds");
    }

    // --- percent reported without total ---

    @Test
    void reporterPercentIsUsedWithoutTotal() {
        Progress p = ProgressRules.apply(job(List.of()), percent(42));
        assertThat(p.percent()).isEqualTo(42.0);
    }

    @Test
    void reporterPercentIsIgnoredWhenCurrentAndTotalTell() {
        Progress p = ProgressRules.apply(job(List.of()),
                new ProgressReport(null, null, 1.0, 4.0, null, 90.0, null, null));
        assertThat(p.percent()).isCloseTo(25.0, within(1e-9));
    }

    // --- merging ---

    @Test
    void absentFieldsKeepTheirValue() {
        RawJson meta = new RawJson("{\"ok\":1}");
        Job j = apply(job(THREE), new ProgressReport("clustering", null, 4.0, 10.0, "points", null, "hello", meta));
        Progress p = ProgressRules.apply(j, new ProgressReport(null, null, null, null, null, null, null, null));
        assertThat(p).isEqualTo(j.progress());
        Progress q = ProgressRules.apply(j, new ProgressReport(null, null, 5.0, null, null, null, null, null));
        assertThat(q.stage()).isEqualTo("clustering");
        assertThat(q.stageIndex()).isEqualTo(1);
        assertThat(q.total()).isEqualTo(10.0);
        assertThat(q.unit()).isEqualTo("points");
        assertThat(q.message()).isEqualTo("hello");
        assertThat(q.metadata()).isEqualTo(meta);
        assertThat(q.current()).isEqualTo(5.0);
    }

    @Test
    void presentFieldsReplace() {
        Job j = apply(job(List.of()), new ProgressReport(null, null, 4.0, 10.0, "rows", null, "a",
                new RawJson("{\"a\":1}")));
        Progress p = ProgressRules.apply(j, new ProgressReport(null, null, 5.0, 20.0, "lines", null, "b",
                new RawJson("{\"b\":2}")));
        assertThat(p.unit()).isEqualTo("lines");
        assertThat(p.message()).isEqualTo("b");
        assertThat(p.metadata().text()).isEqualTo("{\"b\":2}");
        assertThat(p.total()).isEqualTo(20.0);
    }

    @Test
    void messageOnlyReportKeepsPercent() {
        Job j = apply(job(List.of()), percent(37));
        Progress p = ProgressRules.apply(j, new ProgressReport(null, null, null, null, null, null, "still going", null));
        assertThat(p.percent()).isEqualTo(37.0);
        assertThat(p.message()).isEqualTo("still going");
    }

    // --- monotonic percent ---

    @Test
    void percentNeverGoesDownWhenCurrentDecreasesWithinAStage() {
        Job j = apply(job(THREE), report("clustering", null, 80.0, 100.0));
        double high = j.progress().percent();
        Progress p = ProgressRules.apply(j, report(null, null, 50.0, null));
        assertThat(p.percent()).isEqualTo(high);
        assertThat(p.current()).isEqualTo(50.0);
    }

    @Test
    void percentNeverGoesDownWhenTotalGrows() {
        Job j = apply(job(List.of()), report(null, null, 50.0, 100.0));
        Progress p = ProgressRules.apply(j, report(null, null, null, 1000.0));
        assertThat(p.percent()).isEqualTo(50.0);
    }

    @Test
    void percentNeverGoesDownWithALowerReporterPercent() {
        Job j = apply(job(List.of()), percent(60));
        assertThat(ProgressRules.apply(j, percent(30)).percent()).isEqualTo(60.0);
    }

    @Test
    void percentNeverGoesDownWhenStayingInTheSameStageByIndex() {
        Job j = apply(job(THREE), report(null, 1, 90.0, 100.0));
        Progress p = ProgressRules.apply(j, report(null, 1, 10.0, 100.0));
        assertThat(p.percent()).isCloseTo(20 + 60 * 0.9, within(1e-9));
    }

    @Test
    void percentMayGoDownWhenTheReporterMovesBackToAnEarlierStage() {
        Job j = apply(job(THREE), report("report", null, 1.0, 2.0));
        assertThat(j.progress().percent()).isCloseTo(90.0, within(1e-9));
        Progress p = ProgressRules.apply(j, report("download", null, 1.0, 2.0));
        assertThat(p.stageIndex()).isEqualTo(0);
        assertThat(p.percent()).isCloseTo(10.0, within(1e-9));
    }

    @Test
    void movingForwardToALaterStageGoesUp() {
        Job j = apply(job(THREE), report("download", null, 1.0, 2.0));
        Progress p = ProgressRules.apply(j, report("report", null, null, null));
        assertThat(p.percent()).isCloseTo(80.0, within(1e-9));
    }

    @Test
    void sequenceOfReportsIsMonotonicWithinStages() {
        Job j = job(THREE);
        double last = 0;
        double[] currents = {1, 5, 3, 9, 2, 10};
        for (String stage : List.of("download", "clustering", "report")) {
            j = apply(j, report(stage, null, 0.0, 10.0));
            for (double c : currents) {
                j = apply(j, report(null, null, c, null));
                assertThat(j.progress().percent()).isGreaterThanOrEqualTo(last);
                last = j.progress().percent();
            }
        }
        assertThat(last).isCloseTo(100.0, within(1e-9));
    }
}
