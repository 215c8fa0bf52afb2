package dev.herald.core.estimate;

import dev.herald.core.history.RunHistory;
import dev.herald.core.history.RunRecord;
import dev.herald.core.history.StageRun;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the estimates read from a type's history: the spread of the successful
 * runs' durations and each stage's median duration, stages in the order the
 * newest run went through them.
 *
 * @param sampleSize the successful runs it rests on
 */
public record HistoryStats(long finished, long succeeded, int sampleSize, long p10, long p50, long p90,
                           Map<String, Long> stageMedians) {
    public static final HistoryStats NONE = new HistoryStats(0, 0, 0, 0, 0, 0, Map.of());
    /** Fewer runs than this tell a median, not a spread or a limit. */
    static final int SPREAD_SAMPLES = 3;

    public HistoryStats {
        stageMedians = Collections.unmodifiableMap(new LinkedHashMap<>(stageMedians));
    }

    public static HistoryStats of(RunHistory history) {
        List<RunRecord> runs = history.recent();
        Percentiles durations = new Percentiles(runs.stream().mapToLong(RunRecord::durationMs).toArray());
        Map<String, List<Long>> stages = new LinkedHashMap<>();
        for (RunRecord run : runs) {
            for (StageRun s : run.stages()) {
                stages.computeIfAbsent(s.name(), n -> new ArrayList<>()).add(s.durationMs());
            }
        }
        Map<String, Long> medians = new LinkedHashMap<>();
        stages.forEach((name, ms) ->
                medians.put(name, new Percentiles(ms.stream().mapToLong(Long::longValue).toArray()).at(50)));
        return new HistoryStats(history.finished(), history.succeeded(), runs.size(), durations.at(10),
                durations.at(50), durations.at(90), medians);
    }

    /** The successful share of the finished runs, 0 when none finished. */
    public double successRate() {
        return finished == 0 ? 0 : (double) succeeded / finished;
    }

    /** The stage's median duration, or null when no run went through it. */
    public Long stageMedian(String name) {
        return stageMedians.get(name == null ? "" : name);
    }

    boolean hasSpread() {
        return sampleSize >= SPREAD_SAMPLES && p50 > 0;
    }
}
