package dev.herald.server.cluster;

import dev.herald.core.engine.JobEngine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Progress updates other nodes forwarded in one batch ({@link ProgressBatchWire}), applied here in the order sent,
 * each on its own: one refused (not this node's tree, finished, not found...) is answered so, the others still apply.
 */
final class ForwardedProgress {
    private ForwardedProgress() {
    }

    /** Each update's outcome, in the batch's order: its new version ({@code Long}) or its refusal ({@code Throwable}). */
    static CompletableFuture<List<Object>> apply(JobEngine served, List<ProgressBatchWire.Entry> entries) {
        List<CompletableFuture<Object>> outcomes = new ArrayList<>(entries.size());
        // a job not in memory is loaded first: a later update of it waits for the earlier, not to overtake it
        Map<String, CompletableFuture<Object>> lastOfJob = new HashMap<>();
        for (ProgressBatchWire.Entry e : entries) {
            CompletableFuture<Object> before = lastOfJob.get(e.jobId());
            CompletableFuture<Object> outcome = e.error() != null ? CompletableFuture.completedFuture(e.error())
                    : before == null || before.isDone() ? apply(served, e) : before.thenCompose(v -> apply(served, e));
            lastOfJob.put(e.jobId(), outcome);
            outcomes.add(outcome);
        }
        return CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new))
                .thenApply(v -> outcomes.stream().map(CompletableFuture::join).toList());
    }

    private static CompletableFuture<Object> apply(JobEngine served, ProgressBatchWire.Entry e) {
        CompletableFuture<Long> applied;
        try {
            applied = served.leased(e.leaseToken()).here().progress(e.jobId(), e.report());
        } catch (RuntimeException failure) {
            applied = CompletableFuture.failedFuture(failure);
        }
        return applied.handle((version, failure) -> failure == null ? version : failure);
    }
}
