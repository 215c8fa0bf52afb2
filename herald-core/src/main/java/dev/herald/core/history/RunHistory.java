package dev.herald.core.history;

import java.util.List;

/**
 * The history of one job type in one project: how many runs finished and
 * succeeded since the type was first seen (runs older than the retention
 * excepted), and the newest successful runs themselves, newest first, at most
 * {@link #KEPT}; older ones survive only in the counts.
 */
public record RunHistory(String type, String project, long finished, long succeeded, List<RunRecord> recent) {
    public static final int KEPT = 100;

    public RunHistory {
        recent = List.copyOf(recent);
    }

    public static RunHistory empty(String type, String project) {
        return new RunHistory(type, project, 0, 0, List.of());
    }
}
