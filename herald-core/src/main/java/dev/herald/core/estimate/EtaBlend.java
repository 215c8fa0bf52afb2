package dev.herald.core.estimate;

import dev.herald.core.history.StageRun;
import dev.herald.core.model.Eta;
import dev.herald.core.model.Stage;

import java.util.List;

/**
 * The estimate of API §10, a pure function of where a job stands and its type's
 * history. The current stage's remaining time comes from its smoothed rate and
 * from its history median, weighted by how far the stage has come (early on the
 * history knows better, late the rate does); later stages from their history
 * medians, or without history from the current stage's pace scaled by their
 * weights. History is scaled by how fast this run goes against it: fully by the stages it has finished,
 * by the current one as far as it has come. The range is history's p10..p90 around the estimate, or the
 * rate's spread.
 */
final class EtaBlend {
    /** The farthest the rate's spread may widen the range: a rate this uncertain says little more. */
    private static final double MAX_RELATIVE_SPREAD = 0.9;
    /** The most a run may seem slower or faster than its history: beyond, the history is not this run's. */
    private static final double MAX_PACE = 5;
    /** A year: a rate near zero says "never", which is no estimate. */
    private static final double MAX_MS = 365.0 * 24 * 3600 * 1000;

    /**
     * @param stageMs time spent running in the current stage, pauses left out
     * @param runMs   time spent running in all, pauses left out
     * @param rate    the current stage's fraction per millisecond, NaN when unknown
     * @param spread  the rate's standard deviation
     * @param closed  the stages it has finished, with their running times
     */
    record Position(StagePoint point, List<Stage> stages, long stageMs, long runMs, double rate, double spread,
                    List<StageRun> closed) {
    }

    private EtaBlend() {
    }

    static Estimate estimate(Position at, HistoryStats history) {
        boolean overdue = history.hasSpread() && at.runMs() > history.p90();
        StagePoint point = at.point();
        double left = 1 - point.fraction();
        boolean hasRate = at.rate() > 0;
        double byRate = hasRate ? left / at.rate() : Double.NaN;
        Long median = history.stageMedian(point.name());
        double pace = pace(at, history, median);
        double remaining;
        if (hasRate && median != null) {
            remaining = point.fraction() * byRate + (1 - point.fraction()) * left * median * pace;
        } else if (hasRate) {
            remaining = byRate;
        } else if (median != null) {
            remaining = left * median * pace;
        } else {
            return new Estimate(null, overdue);
        }
        boolean usedHistory = median != null;
        for (int k = point.index() + 1; k < at.stages().size(); k++) {
            Long later = history.stageMedian(at.stages().get(k).name());
            if (later != null) {
                usedHistory = true;
                remaining += later * pace;
            } else if (hasRate) {
                remaining += (at.stageMs() + byRate) * weightRatio(at.stages(), k, point.index());
            } else {
                return new Estimate(null, overdue);
            }
        }
        if (!(remaining < MAX_MS)) {
            return new Estimate(null, overdue);
        }
        String basis = !usedHistory ? Eta.RATE : hasRate ? Eta.BLEND : Eta.HISTORY;
        return new Estimate(ranged(Math.round(remaining), basis, usedHistory, history, at), overdue);
    }

    /**
     * How much slower (above 1) or faster this run goes than its history's medians: the finished stages' time
     * against theirs when there are any, else the current stage's, trusted as far as the stage has come.
     */
    private static double pace(Position at, HistoryStats history, Long currentMedian) {
        long ran = 0;
        long expected = 0;
        for (StageRun s : at.closed()) {
            Long m = history.stageMedian(s.name());
            if (m != null) {
                ran += s.durationMs();
                expected += m;
            }
        }
        double pace;
        if (expected > 0) {
            pace = (double) ran / expected;
        } else {
            double f = at.point().fraction();
            if (currentMedian == null || currentMedian <= 0 || f <= 0) {
                return 1;
            }
            pace = 1 + f * (at.stageMs() / (f * currentMedian) - 1);
        }
        return Math.max(1 / MAX_PACE, Math.min(MAX_PACE, pace));
    }

    private static double weightRatio(List<Stage> stages, int later, int current) {
        return stages.get(later).weight() / stages.get(current).weight();
    }

    private static Eta ranged(long remaining, String basis, boolean usedHistory, HistoryStats history,
                              Position at) {
        int samples = usedHistory ? history.sampleSize() : 0;
        if (usedHistory && history.hasSpread()) {
            long low = Math.round(remaining * (double) history.p10() / history.p50());
            long high = Math.round(remaining * (double) history.p90() / history.p50());
            return new Eta(remaining, Math.min(low, remaining), Math.max(high, remaining), basis, samples);
        }
        if (at.rate() > 0 && at.spread() >= 0) {
            double relative = Math.min(MAX_RELATIVE_SPREAD, at.spread() / at.rate());
            return new Eta(remaining, Math.round(remaining / (1 + relative)), Math.round(remaining / (1 - relative)),
                    basis, samples);
        }
        return new Eta(remaining, remaining, remaining, basis, samples);
    }
}
