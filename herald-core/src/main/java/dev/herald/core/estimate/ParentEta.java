package dev.herald.core.estimate;

import dev.herald.core.model.Eta;
import dev.herald.core.model.JobStatus;

import java.util.List;

/**
 * A parent's estimate from its children: the running ones run side by side, so
 * the slowest of them bounds the parent; the waiting ones will take their type's
 * median each, shared among as many workers as have been seen running at once.
 */
public final class ParentEta {
    /**
     * A child as the parent's estimate sees it.
     *
     * @param median its type's median duration, or null when its type has no history
     */
    public record Child(JobStatus status, Eta eta, Long median, int sampleSize) {
    }

    private ParentEta() {
    }

    /**
     * The estimate, or null when a running child has none, or a waiting child's type no history.
     *
     * @param parallelism the most children seen running at once
     */
    public static Eta of(List<Child> children, int parallelism) {
        long remaining = 0;
        long low = 0;
        long high = 0;
        int samples = 0;
        long waiting = 0;
        boolean running = false;
        String slowestBasis = Eta.RATE;
        for (Child c : children) {
            if (c.status() == JobStatus.RUNNING) {
                if (c.eta() == null) {
                    return null;
                }
                running = true;
                if (c.eta().remainingMs() >= remaining) {
                    slowestBasis = c.eta().basis();
                }
                remaining = Math.max(remaining, c.eta().remainingMs());
                low = Math.max(low, c.eta().low());
                high = Math.max(high, c.eta().high());
                samples = Math.max(samples, c.eta().sampleSize());
            } else if (c.status().isWaiting()) {
                if (c.median() == null) {
                    return null;
                }
                waiting += c.median();
                samples = Math.max(samples, c.sampleSize());
            }
        }
        long queued = waiting / Math.max(1, parallelism);
        if (!running && waiting == 0) {
            return null;
        }
        String basis = waiting == 0 ? slowestBasis : running ? Eta.BLEND : Eta.HISTORY;
        return new Eta(remaining + queued, low + queued, high + queued, basis, samples);
    }
}
