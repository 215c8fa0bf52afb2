package dev.herald.core.estimate;

import dev.herald.core.model.Job;
import dev.herald.core.model.Progress;
import dev.herald.core.model.Stage;

import java.util.List;

/**
 * Where a job stands for the estimates: its stage (a job without stages is one
 * stage named "") and how much of it is done, 0..1.
 *
 * @param total the stage's items, or null when the reporter gave none
 */
record StagePoint(int index, String name, double fraction, Double total) {

    static StagePoint of(Job job) {
        Progress p = job.progress();
        List<Stage> stages = job.stages();
        if (stages.isEmpty()) {
            return new StagePoint(0, "", p.percent() / 100.0, p.total());
        }
        int index = p.stageIndex() == null ? 0 : p.stageIndex();
        return new StagePoint(index, stages.get(index).name(), fraction(p.current(), p.total()), p.total());
    }

    private static double fraction(Double current, Double total) {
        if (total != null && total <= 0) {
            return 1;
        }
        if (current == null || total == null) {
            return 0;
        }
        return Math.min(1.0, current / total);
    }
}
