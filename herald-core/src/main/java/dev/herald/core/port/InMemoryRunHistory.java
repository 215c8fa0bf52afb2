package dev.herald.core.port;

import dev.herald.core.history.RunHistory;
import dev.herald.core.history.RunRecord;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The run histories of {@link InMemoryJobStore}, by project and type. */
final class InMemoryRunHistory {
    private static final class Type {
        long finished;
        long succeeded;
        Instant lastFinished = Instant.MIN;
        /** Newest first. */
        final Deque<RunRecord> runs = new ArrayDeque<>();
    }

    private final Map<String, Map<String, Type>> projects = new TreeMap<>();

    synchronized void record(RunRecord run) {
        Type t = projects.computeIfAbsent(run.project(), p -> new TreeMap<>()).computeIfAbsent(run.type(),
                n -> new Type());
        t.finished++;
        if (run.finishedAt().isAfter(t.lastFinished)) {
            t.lastFinished = run.finishedAt();
        }
        if (run.succeeded()) {
            t.succeeded++;
            t.runs.addFirst(run);
            if (t.runs.size() > RunHistory.KEPT) {
                t.runs.removeLast();
            }
        }
    }

    synchronized RunHistory history(String project, String type) {
        Type t = projects.getOrDefault(project, Map.of()).get(type);
        return t == null ? RunHistory.empty(type, project) : of(project, type, t);
    }

    synchronized List<RunHistory> histories(String project) {
        List<RunHistory> out = new ArrayList<>();
        projects.getOrDefault(project, Map.of()).forEach((type, t) -> out.add(of(project, type, t)));
        return out;
    }

    synchronized int prune(Instant cutoff) {
        int pruned = 0;
        for (Map<String, Type> types : projects.values()) {
            for (Type t : types.values()) {
                int before = t.runs.size();
                t.runs.removeIf(r -> r.finishedAt().isBefore(cutoff));
                pruned += before - t.runs.size();
            }
            types.values().removeIf(t -> t.lastFinished.isBefore(cutoff));
        }
        projects.values().removeIf(Map::isEmpty);
        return pruned;
    }

    private static RunHistory of(String project, String type, Type t) {
        return new RunHistory(type, project, t.finished, t.succeeded, List.copyOf(t.runs));
    }
}
