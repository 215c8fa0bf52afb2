package dev.herald.bench;

import dev.herald.core.estimate.HistoryStats;
import dev.herald.core.estimate.RunTimeline;
import dev.herald.core.history.RunHistory;
import dev.herald.core.history.RunRecord;
import dev.herald.core.model.Eta;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * How good Herald's estimates are (API §10), on the synthetic series of {@link EtaSeries}: for each series,
 * {@code --history} past runs are replayed through the estimator's timeline to make the type's history, then
 * {@code --runs} new runs are replayed report by report, and at the first report at or past 10, 25, 50 and 75 %
 * three estimates are set against the time the run really had left: a plain linear one
 * (elapsed / percent × what is left), the rate alone (the smoothed rate, no history) and the history blend
 * (what the server answers). Prints the mean absolute error of each, in seconds. Deterministic: the seeds are
 * fixed. A rate that cannot tell yet counts as the linear estimate.
 */
public final class EtaAccuracy {
    static final double[] CHECKPOINTS = {10, 25, 50, 75};
    static final String[] ESTIMATORS = {"linear", "rate only", "history blend"};
    /** Herald's default --stall-after, which is also the silence its estimates take for a pause. */
    private static final long PAUSE_AFTER_MS = 60_000;

    /** Mean absolute errors in seconds: [checkpoint][estimator], and the mean time really left per checkpoint. */
    record Errors(double[][] mae, double[] meanLeft) {
    }

    public static void main(String[] args) {
        BenchArgs a = new BenchArgs("EtaAccuracy [options]", args,
                "history", "20", "past runs of each series that make its history",
                "runs", "40", "runs of each series whose estimates are measured");
        System.out.println("EtaAccuracy " + a.effective());
        System.out.println("mean absolute error of the remaining time, seconds (mean time left in brackets)");
        System.out.printf(Locale.ROOT, "%-14s %-5s %10s %10s %14s%n", "series", "done", ESTIMATORS[0],
                ESTIMATORS[1], ESTIMATORS[2]);
        List<EtaSeries> all = EtaSeries.all();
        List<Errors> measured = new ArrayList<>();
        for (int s = 0; s < all.size(); s++) {
            measured.add(measure(all.get(s), s, a.integer("history"), a.integer("runs")));
            print(all.get(s).name(), measured.get(s));
        }
        print("all series", mean(measured));
    }

    private static void print(String name, Errors e) {
        for (int c = 0; c < CHECKPOINTS.length; c++) {
            System.out.printf(Locale.ROOT, "%-14s %3.0f %% %10.1f %10.1f %14.1f   (%.0f s left)%n", name,
                    CHECKPOINTS[c], e.mae()[c][0], e.mae()[c][1], e.mae()[c][2], e.meanLeft()[c]);
        }
    }

    /** The mean over the series, each weighing the same. */
    static Errors mean(List<Errors> all) {
        double[][] mae = new double[CHECKPOINTS.length][ESTIMATORS.length];
        double[] left = new double[CHECKPOINTS.length];
        for (Errors e : all) {
            for (int c = 0; c < CHECKPOINTS.length; c++) {
                left[c] += e.meanLeft()[c] / all.size();
                for (int k = 0; k < ESTIMATORS.length; k++) {
                    mae[c][k] += e.mae()[c][k] / all.size();
                }
            }
        }
        return new Errors(mae, left);
    }

    static Errors measure(EtaSeries series, long seed, int historyRuns, int runs) {
        Random random = new Random(seed);
        List<RunRecord> past = new ArrayList<>();
        for (int i = 0; i < historyRuns; i++) {
            boolean outlier = series.outlierEvery() > 0 && i % series.outlierEvery() == 0;
            past.add(0, replay(series.run(random, outlier), HistoryStats.NONE, null, null));
        }
        HistoryStats history = HistoryStats.of(new RunHistory("import", "bench", historyRuns, historyRuns, past));
        double[][] sum = new double[CHECKPOINTS.length][ESTIMATORS.length];
        double[] left = new double[CHECKPOINTS.length];
        for (int i = 0; i < runs; i++) {
            replay(series.run(random, false), history, sum, left);
        }
        for (int c = 0; c < CHECKPOINTS.length; c++) {
            left[c] /= runs;
            for (int e = 0; e < ESTIMATORS.length; e++) {
                sum[c][e] /= runs;
            }
        }
        return new Errors(sum, left);
    }

    /** Replays a run; with {@code sum}, adds each estimator's error at each checkpoint. Answers the run's record. */
    private static RunRecord replay(EtaSeries.Run run, HistoryStats history, double[][] sum, double[] left) {
        RunTimeline timeline = new RunTimeline(PAUSE_AFTER_MS);
        RunTimeline rateOnly = new RunTimeline(PAUSE_AFTER_MS);
        int next = 0;
        Job last = null;
        for (EtaSeries.Report r : run.reports()) {
            Job job = r.job();
            if (last == null) {
                timeline.started(r.atMs(), job);
                rateOnly.started(r.atMs(), job);
            } else {
                timeline.observe(r.atMs(), job);
                rateOnly.observe(r.atMs(), job);
            }
            last = job;
            double percent = job.progress().percent();
            while (sum != null && next < CHECKPOINTS.length && percent >= CHECKPOINTS[next]) {
                double actual = (run.endMs() - r.atMs()) / 1000.0;
                double linear = r.atMs() / 1000.0 / percent * (100 - percent);
                double[] estimates = {linear, seconds(rateOnly.estimate(r.atMs(), job, HistoryStats.NONE).eta(),
                        linear), seconds(timeline.estimate(r.atMs(), job, history).eta(), linear)};
                for (int e = 0; e < estimates.length; e++) {
                    sum[next][e] += Math.abs(estimates[e] - actual);
                }
                left[next] += actual;
                next++;
            }
        }
        return timeline.finish(run.endMs(), last.toBuilder().status(JobStatus.COMPLETED).build());
    }

    private static double seconds(Eta eta, double otherwise) {
        return eta == null ? otherwise : eta.remainingMs() / 1000.0;
    }
}
