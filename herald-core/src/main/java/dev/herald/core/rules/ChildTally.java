package dev.herald.core.rules;

import dev.herald.core.model.ChildrenSummary;
import dev.herald.core.model.Eta;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;

import java.util.HashMap;
import java.util.Map;

/**
 * What a parent knows of its direct children: the newest status and percent seen
 * of each, and the counts kept from them as they change. Reports are idempotent
 * and may arrive in any order: a report older than what was seen of that child is
 * ignored, so a recount and a stream of changes can overlap without counting
 * anything twice. Not thread-safe.
 */
public final class ChildTally {
    private record Seen(long version, JobStatus status, double percent, String type, Eta eta) {
    }

    /** What a parent's estimate needs of an unfinished child. */
    public interface UnfinishedChild {
        void accept(JobStatus status, String type, Eta eta);
    }

    private final Map<String, Seen> children = new HashMap<>();
    private final int[] counts = new int[JobStatus.values().length];
    private double percentSum;
    /** The most children seen running at once: how many workers the waiting ones will share. */
    private int parallelism;

    /**
     * The percent a child adds to its parent's mean: 100 once finished; else the
     * higher of its own percent and its children's mean, so that a container job
     * that reports nothing itself moves with its children, and one that reports
     * counts what it says.
     */
    public static double contribution(Job child) {
        if (child.status().isTerminal()) {
            return 100.0;
        }
        double own = child.progress().percent();
        return child.children() != null ? Math.max(own, child.children().percent()) : own;
    }

    public void see(Job child) {
        see(child.id(), child.version(), child.status(), contribution(child), child.type(), child.eta());
    }

    /** Takes a child's state at {@code version}; false when it was not newer than what is known. */
    public boolean see(String childId, long version, JobStatus status, double percent, String type, Eta eta) {
        Seen old = children.get(childId);
        if (old != null && old.version() >= version) {
            return false;
        }
        if (old != null) {
            counts[old.status().ordinal()]--;
            percentSum -= old.percent();
        }
        children.put(childId, new Seen(version, status, percent, type, eta));
        counts[status.ordinal()]++;
        percentSum += percent;
        parallelism = Math.max(parallelism, count(JobStatus.RUNNING));
        return true;
    }

    /** Forgets a deleted child. */
    public void remove(String childId) {
        Seen old = children.remove(childId);
        if (old != null) {
            counts[old.status().ordinal()]--;
            percentSum -= old.percent();
        }
    }

    /** Each child not finished yet, for the parent's estimate. */
    public void forEachUnfinished(UnfinishedChild action) {
        children.values().stream().filter(c -> !c.status().isTerminal())
                .forEach(c -> action.accept(c.status(), c.type(), c.eta()));
    }

    public int parallelism() {
        return parallelism;
    }

    public int total() {
        return children.size();
    }

    /** True when there are children and every one of them has finished. */
    public boolean allFinished() {
        return total() > 0 && count(JobStatus.PENDING) + count(JobStatus.QUEUED) + count(JobStatus.RUNNING) == 0;
    }

    public int count(JobStatus status) {
        return counts[status.ordinal()];
    }

    /** The summary of API §1, or null without children. */
    public ChildrenSummary summary() {
        int total = total();
        if (total == 0) {
            return null;
        }
        // sums drift by rounding as children come and go; a mean outside 0..100 would show it
        double mean = Math.max(0, Math.min(100, percentSum / total));
        return new ChildrenSummary(total, count(JobStatus.PENDING), count(JobStatus.QUEUED),
                count(JobStatus.RUNNING), count(JobStatus.COMPLETED), count(JobStatus.FAILED),
                count(JobStatus.CANCELLED), mean);
    }

    /**
     * How a parent with {@code completeWithChildren} ends once all its children have:
     * failed if any failed, else cancelled if all were cancelled, else completed.
     */
    public JobStatus outcome() {
        if (count(JobStatus.FAILED) > 0) {
            return JobStatus.FAILED;
        }
        return count(JobStatus.CANCELLED) == total() ? JobStatus.CANCELLED : JobStatus.COMPLETED;
    }
}
