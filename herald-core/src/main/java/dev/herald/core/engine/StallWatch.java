package dev.herald.core.engine;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;

import java.time.Clock;
import java.time.Duration;

/**
 * What a running job's silence says (API §10): after {@code stallAfter} without a
 * write it is {@code stalled} (its next write clears that), and once it has run
 * past its history's p90 it is {@code overdue}, whether or not it reports. Either
 * change is a new version, pushed as a {@code progress} event and written behind.
 * A parent is left alone: its children speak for it.
 */
final class StallWatch {
    /** How often running jobs are checked for silence and overdue, at most: a stall shows within this of its time. */
    private static final Duration CHECK = Duration.ofSeconds(1);

    private final JobCache cache;
    private final JobWrites writes;
    private final Estimates estimates;
    private final Clock clock;
    private final long stallAfterMillis;

    StallWatch(JobCache cache, JobWrites writes, Estimates estimates, Clock clock, Duration stallAfter) {
        this.cache = cache;
        this.writes = writes;
        this.estimates = estimates;
        this.clock = clock;
        this.stallAfterMillis = stallAfter.toMillis();
    }

    static void start(StallWatch watch, Maintenance maintenance) {
        maintenance.every(watch.period(), watch::sweep);
    }

    Duration period() {
        return CHECK.compareTo(Duration.ofMillis(stallAfterMillis)) < 0 ? CHECK : Duration.ofMillis(stallAfterMillis);
    }

    void sweep() {
        long now = clock.millis();
        cache.forEachLive(lj -> {
            synchronized (lj) {
                Job job = lj.job();
                if (lj.isRetired() || job.status() != JobStatus.RUNNING || job.children() != null) {
                    return;
                }
                boolean stalled = job.stalled() || now - job.updatedAt().toEpochMilli() > stallAfterMillis;
                boolean overdue = estimates.estimate(lj, job, now).overdue();
                if (stalled != job.stalled() || overdue != job.overdue()) {
                    // updatedAt stays: it says when the job was last heard from
                    Job next = job.toBuilder().stalled(stalled).overdue(overdue).version(job.version() + 1).build();
                    lj.set(next);
                    writes.markDirty(lj);
                    writes.publish(lj, JobEvent.progress(next).within(lj.ancestors));
                }
            }
        });
    }
}
