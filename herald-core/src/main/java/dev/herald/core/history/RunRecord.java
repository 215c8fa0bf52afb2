package dev.herald.core.history;

import java.time.Instant;
import java.util.List;

/**
 * What the estimates keep of a finished job: its type and project, how it ended,
 * how long it ran (pauses and time in the queue left out) and each stage it went through.
 */
public record RunRecord(String type, String project, boolean succeeded, Instant finishedAt, long durationMs,
                        List<StageRun> stages) {
    public RunRecord {
        stages = List.copyOf(stages);
    }
}
