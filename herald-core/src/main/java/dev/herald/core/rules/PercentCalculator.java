package dev.herald.core.rules;

import dev.herald.core.model.Stage;

import java.util.List;

/** The stage-weighted percent of API §1. */
public final class PercentCalculator {
    private PercentCalculator() {
    }

    /**
     * @param stages         the job's stages, possibly empty
     * @param stageIndex     the current stage, or null
     * @param current        units done in the current stage (or overall without stages), or null
     * @param total          units in all of it, or null when unknown
     * @param reportedPercent what the reporter sent as percent, or null
     * @param previous       the percent before this report, used when nothing else tells
     */
    public static double percent(List<Stage> stages, Integer stageIndex, Double current, Double total,
                                 Double reportedPercent, double previous) {
        if (!stages.isEmpty() && stageIndex != null) {
            // weights are divided by the largest first, so that huge weights cannot overflow the sums
            double largest = 0;
            for (Stage s : stages) {
                largest = Math.max(largest, s.weight());
            }
            double sum = 0;
            double before = 0;
            for (int i = 0; i < stages.size(); i++) {
                double w = stages.get(i).weight() / largest;
                sum += w;
                if (i < stageIndex) {
                    before += w;
                }
            }
            double weight = stages.get(stageIndex).weight() / largest;
            return clamp(100.0 * ((before + weight * fraction(current, total)) / sum));
        }
        if (total != null && (current != null || total <= 0)) {
            return clamp(100.0 * fraction(current, total));
        }
        if (reportedPercent != null) {
            return clamp(reportedPercent);
        }
        return previous;
    }

    /** How much of the stage is done; a total of 0 means nothing to do, so done. */
    private static double fraction(Double current, Double total) {
        if (total != null && total <= 0) {
            return 1;
        }
        if (current == null || total == null) {
            return 0;
        }
        return Math.min(1.0, current / total);
    }

    private static double clamp(double p) {
        if (!(p >= 0)) {
            return 0;
        }
        return Math.min(100.0, p);
    }
}
