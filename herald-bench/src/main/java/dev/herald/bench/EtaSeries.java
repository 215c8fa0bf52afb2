package dev.herald.bench;

import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.Progress;
import dev.herald.core.model.Stage;
import dev.herald.core.rules.PercentCalculator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;

/**
 * The synthetic job series {@link EtaAccuracy} replays. Every run of a series has two stages, "parse" and
 * "load", reported once a second; each run's speed varies by a random factor (0.85..1.15), so that no two runs
 * are alike but a type's history still says something.
 *
 * @param weights       the stages' weights as the reporter declares them
 * @param seconds       each stage's duration at speed 1
 * @param shape         how much of a stage is done at a share of its time (t → t is a steady rate)
 * @param pauseAt       the percent at which each run falls silent for {@code pauseSeconds}, or 101 for never
 * @param outlierEvery  every n-th past run is five times slower (0: none); the replayed runs never are
 */
record EtaSeries(String name, String definition, double[] weights, double[] seconds, DoubleUnaryOperator shape,
                 double pauseAt, int pauseSeconds, int outlierEvery) {
    static final double[] ITEMS = {2_000, 10_000};
    static final int OUTLIER_SLOWNESS = 5;

    static List<EtaSeries> all() {
        double[] even = {20, 80};
        double[] time = {30, 120};
        DoubleUnaryOperator steady = t -> t;
        return List.of(
                new EtaSeries("steady", "weights 20/80, 30 s + 120 s, a constant item rate", even, time, steady,
                        101, 0, 0),
                new EtaSeries("accelerating", "as steady, but each stage's rate grows from 0.2x to 1.8x its mean "
                        + "(done = 0.2t + 0.8t^2)", even, time, t -> 0.2 * t + 0.8 * t * t, 101, 0, 0),
                new EtaSeries("stage-skewed", "weights 50/50, but 10 s + 140 s: the weights say nothing of the time",
                        new double[] {50, 50}, new double[] {10, 140}, steady, 101, 0, 0),
                new EtaSeries("with pauses", "as steady, and every run falls silent for 120 s at 60 %", even, time,
                        steady, 60, 120, 0),
                new EtaSeries("slow outlier", "as steady, and one past run in five was 5x slower", even, time,
                        steady, 101, 0, 5));
    }

    /** One run: the job as each report left it, at its second, and the second it finished. */
    record Run(List<Report> reports, long endMs) {
    }

    record Report(long atMs, Job job) {
    }

    Run run(Random random, boolean outlier) {
        double factor = (0.85 + 0.3 * random.nextDouble()) * (outlier ? OUTLIER_SLOWNESS : 1);
        List<Stage> stages = List.of(new Stage("parse", weights[0]), new Stage("load", weights[1]));
        List<Report> reports = new ArrayList<>();
        long pausedMs = 0;
        long startMs = 0;
        for (int stage = 0; stage < 2; stage++) {
            long stageMs = Math.round(seconds[stage] * factor * 1000);
            for (long t = 0; t <= stageMs; t += 1000) {
                double done = shape.applyAsDouble((double) t / stageMs);
                Job job = job(stages, stage, Math.floor(done * ITEMS[stage]));
                if (pausedMs == 0 && job.progress().percent() >= pauseAt) {
                    pausedMs = pauseSeconds * 1000L;
                }
                reports.add(new Report(startMs + pausedMs + t, job));
            }
            startMs += stageMs + 1000;
        }
        return new Run(reports, startMs - 1000 + pausedMs);
    }

    private static Job job(List<Stage> stages, int stage, double current) {
        double percent = PercentCalculator.percent(stages, stage, current, ITEMS[stage], null, 0);
        return new Job.Builder().id("j_bench").type("import").project("bench").status(JobStatus.RUNNING)
                .stages(stages).startedAt(Instant.EPOCH)
                .progress(new Progress(stages.get(stage).name(), stage, current, ITEMS[stage], "items", percent,
                        null, null)).build();
    }
}
