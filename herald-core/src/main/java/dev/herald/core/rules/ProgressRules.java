package dev.herald.core.rules;

import dev.herald.core.command.ProgressReport;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.core.model.Progress;
import dev.herald.core.model.Stage;

import java.util.List;

/**
 * Merges a progress report into a job's progress and checks it (API §1, §6
 * {@code invalid_progress}). Absent fields keep their value; moving to another
 * stage starts its count afresh. The percent shown never goes down while the job
 * runs, unless the report moves back to an earlier stage.
 */
public final class ProgressRules {
    private ProgressRules() {
    }

    public static Progress apply(Job job, ProgressReport r) {
        Progress old = job.progress();
        List<Stage> stages = job.stages();
        Integer stageIndex = resolveStage(stages, r, old);
        String stage = stageName(stages, stageIndex, r.stage(), old.stage());
        // entering the first stage from none keeps what creation said (total, unit)
        boolean stageChanged = stageIndex != null && old.stageIndex() != null && !stageIndex.equals(old.stageIndex());
        boolean stageMovedBack = stageChanged && old.stageIndex() != null && stageIndex < old.stageIndex();

        Double current = r.current() != null ? r.current() : (stageChanged ? null : old.current());
        Double total = r.total() != null ? r.total() : (stageChanged ? null : old.total());
        String unit = r.unit() != null ? r.unit() : (stageChanged ? null : old.unit());
        check(current, "current");
        check(total, "total");
        if (r.percent() != null) {
            check(r.percent(), "percent");
            if (r.percent() > 100) {
                throw invalid("percent", "percent must be between 0 and 100");
            }
        }
        if (current != null && total != null && current > total) {
            throw invalid("current", "current (" + num(current) + ") exceeds total (" + num(total) + ")");
        }

        double computed = PercentCalculator.percent(stages, stageIndex, current, total, r.percent(), old.percent());
        double percent = stageMovedBack ? computed : Math.max(old.percent(), computed);
        String message = r.message() != null ? r.message() : old.message();
        return new Progress(stage, stageIndex, current, total, unit, percent, message,
                r.metadata() != null ? r.metadata() : old.metadata());
    }

    private static Integer resolveStage(List<Stage> stages, ProgressReport r, Progress old) {
        Integer byIndex = r.stageIndex();
        if (byIndex != null) {
            if (stages.isEmpty()) {
                throw invalid("stageIndex", "the job has no stages");
            }
            if (byIndex < 0 || byIndex >= stages.size()) {
                throw invalid("stageIndex", "stageIndex must be between 0 and " + (stages.size() - 1));
            }
        }
        Integer byName = null;
        if (r.stage() != null && !stages.isEmpty()) {
            for (int i = 0; i < stages.size(); i++) {
                if (stages.get(i).name().equals(r.stage())) {
                    byName = i;
                    break;
                }
            }
            if (byName == null) {
                throw invalid("stage", "unknown stage '" + r.stage() + "'");
            }
        }
        if (byIndex != null && byName != null && !byIndex.equals(byName)) {
            throw invalid("stage", "stage '" + r.stage() + "' is not stage " + byIndex);
        }
        if (byIndex != null) {
            return byIndex;
        }
        if (byName != null) {
            return byName;
        }
        if (!stages.isEmpty() && old.stageIndex() == null) {
            return 0;
        }
        return old.stageIndex();
    }

    private static String stageName(List<Stage> stages, Integer index, String reported, String old) {
        if (index != null) {
            return stages.get(index).name();
        }
        return reported != null ? reported : old;
    }

    private static void check(Double value, String field) {
        if (value == null) {
            return;
        }
        if (value.isNaN() || value.isInfinite()) {
            throw invalid(field, field + " must be a finite number");
        }
        if (value < 0) {
            throw invalid(field, field + " must not be negative");
        }
    }

    private static String num(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    private static HeraldException invalid(String field, String message) {
        return HeraldException.field(ErrorCode.INVALID_PROGRESS, field, message);
    }
}
