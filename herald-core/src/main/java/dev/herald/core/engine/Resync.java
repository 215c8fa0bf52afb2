package dev.herald.core.engine;

import dev.herald.core.cluster.Interest;
import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The newest states of what a node's readers watch, as events to offer them after the bus may have lost some
 * (docs/cluster.md §4.4): a {@code progress} event per job, a parent's as {@code children}. Readers drop what is
 * not newer than what they hold, so only what they missed reaches them.
 */
final class Resync {
    /** Unfinished jobs of a project, per status, as a project stream's snapshots take them. */
    private static final int PROJECT_JOBS = 1000;

    private final JobReads reads;

    Resync(JobReads reads) {
        this.reads = reads;
    }

    CompletableFuture<List<JobEvent>> newest(Interest interest) {
        List<CompletableFuture<List<JobEvent>>> parts = new ArrayList<>();
        for (String id : interest.jobs()) {
            parts.add(reads.get(id).thenApply(job -> List.of(state(job, List.of()))));
        }
        for (String root : interest.subtrees()) {
            parts.add(reads.subtree(root).thenApply(jobs -> jobs.stream()
                    .filter(job -> job.id().equals(root) || !job.status().isTerminal())
                    // the root alone names the subtree: its readers are found by it
                    .map(job -> state(job, job.id().equals(root) ? List.of() : List.of(root))).toList()));
        }
        for (String project : interest.projects()) {
            parts.add(reads.activeJobs(project, PROJECT_JOBS)
                    .thenApply(jobs -> jobs.stream().map(job -> state(job, List.of())).toList()));
        }
        List<CompletableFuture<List<JobEvent>>> kept = parts.stream()
                .map(p -> p.exceptionally(gone -> List.of())).toList();
        return CompletableFuture.allOf(kept.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<JobEvent> events = new ArrayList<>();
            kept.forEach(p -> events.addAll(p.join()));
            return events;
        });
    }

    private static JobEvent state(Job job, List<String> ancestors) {
        return (job.children() != null ? JobEvent.children(job) : JobEvent.progress(job)).within(ancestors);
    }
}
