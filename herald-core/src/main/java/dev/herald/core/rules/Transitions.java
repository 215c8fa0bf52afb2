package dev.herald.core.rules;

import dev.herald.core.command.ProgressReport;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobError;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.Lease;
import dev.herald.core.model.Progress;
import dev.herald.core.model.RawJson;

import java.time.Instant;

/**
 * Status changes and what each one does to the rest of the job (API §1). Every
 * method returns the job at the next version or throws {@code job_finished} /
 * {@code invalid_transition}.
 */
public final class Transitions {
    /** The error code of a job failed because its worker's lease ran out in its last attempt. */
    public static final String LEASE_EXPIRED = "lease_expired";

    private Transitions() {
    }

    public static Job start(Job job, Instant now) {
        return move(job, JobStatus.RUNNING, now).build();
    }

    public static Job complete(Job job, RawJson result, Instant now) {
        Job.Builder b = move(job, JobStatus.COMPLETED, now);
        return b.result(result).progress(job.progress().withPercent(100)).build();
    }

    public static Job fail(Job job, JobError error, Instant now) {
        return move(job, JobStatus.FAILED, now).error(error).build();
    }

    public static Job cancel(Job job, Instant now) {
        return move(job, JobStatus.CANCELLED, now).build();
    }

    /**
     * A progress report applied (see {@link ProgressRules}): a waiting job starts
     * running, a running one stays so; the estimate is the engine's to renew. A
     * finished job refuses with {@code job_finished} before the report is even checked.
     */
    public static Job progress(Job job, ProgressReport report, Instant now) {
        if (job.status().isTerminal()) {
            throw HeraldException.finished(job.status());
        }
        Progress progress = ProgressRules.apply(job, report);
        Job.Builder b = job.status().isWaiting() ? move(job, JobStatus.RUNNING, now) : next(job, job.status(), now);
        return b.progress(progress).build();
    }

    /**
     * A running job goes back to the queue; a failed one too while its policy
     * ({@code maxAttempts}) allows another attempt. Either way the attempt counts up
     * and the progress starts over.
     */
    public static Job retry(Job job, Instant now) {
        return retry(job, now, null);
    }

    /** A retry that may be claimed only from {@code notBefore} on (null: at once). */
    public static Job retry(Job job, Instant now, Instant notBefore) {
        return requeued(job, now).nextAttemptAt(notBefore).build();
    }

    private static Job.Builder requeued(Job job, Instant now) {
        if (job.status() == JobStatus.FAILED && job.attempt() < job.maxAttempts()) {
            return next(job, JobStatus.QUEUED, now)
                    .attempt(job.attempt() + 1).progress(Progress.NONE).eta(null).overdue(false).error(null)
                    .finishedAt(null).lease(null);
        }
        if (job.status().isWaiting()) {
            throw new HeraldException(ErrorCode.INVALID_TRANSITION,
                    "a " + job.status().wire() + " job has not run yet, so it cannot be retried", null, job.status());
        }
        Job.Builder b = move(job, JobStatus.QUEUED, now);
        return b.attempt(job.attempt() + 1).progress(Progress.NONE).eta(null).overdue(false);
    }

    /**
     * A queued job taken by a worker (API §9): running, held by its lease. Its attempt was counted when it
     * was queued again, so the first claim runs attempt 1 and each requeue counts the next.
     */
    public static Job claimed(Job job, Lease lease, Instant now) {
        return move(job, JobStatus.RUNNING, now).lease(lease).build();
    }

    /** A claimed job given back unrun (its claimer went away): queued again, its attempt not counted. */
    public static Job released(Job job, Instant now) {
        return move(job, JobStatus.QUEUED, now).progress(Progress.NONE).eta(null).overdue(false).build();
    }

    /**
     * The worker's lease ran out: the job goes back to the queue while attempts remain, else it fails
     * with {@code lease_expired}.
     */
    public static Job leaseExpired(Job job, Instant now) {
        if (job.attempt() < job.maxAttempts()) {
            return retry(job, now);
        }
        return fail(job, new JobError(LEASE_EXPIRED, "the lease of worker " + job.lease().worker()
                + " expired at " + job.lease().expiresAt() + " in its last attempt"), now);
    }

    /** The checked move to {@code to}, with the timestamps it implies. */
    public static Job.Builder move(Job job, JobStatus to, Instant now) {
        if (job.status().isTerminal()) {
            throw HeraldException.finished(job.status());
        }
        if (!job.status().canMoveTo(to)) {
            throw new HeraldException(ErrorCode.INVALID_TRANSITION,
                    "a " + job.status().wire() + " job cannot become " + to.wire(), null, job.status());
        }
        Job.Builder b = next(job, to, now);
        if (to == JobStatus.RUNNING && job.startedAt() == null) {
            b.startedAt(now);
        }
        if (to.isTerminal()) {
            b.finishedAt(now).eta(null).overdue(false);
        }
        if (to == JobStatus.RUNNING) {
            b.nextAttemptAt(null);
        } else if (!to.isTerminal()) {
            // a finished job keeps its lease, so its worker learns it was cancelled (job_finished), not lease_lost
            b.lease(null);
        }
        return b;
    }

    /** The job at its next version: a write, so it is not stalled any more. */
    public static Job.Builder next(Job job, JobStatus to, Instant now) {
        return job.toBuilder().status(to).updatedAt(now).version(job.version() + 1).stalled(false);
    }
}
