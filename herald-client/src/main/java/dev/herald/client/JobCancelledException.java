package dev.herald.client;

import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.JobStatus;

/**
 * Thrown by {@link Reporter#throwIfCancelled()} once the reporter's job was cancelled (by a person, an ancestor's
 * cancel, a lost lease) or otherwise ended without this reporter ending it: the worker should stop.
 * {@link #status()} says how the job ended; its {@link #code()} is {@code job_finished}. A worker whose lease was
 * lost (API §9: it ran out, so the job is queued again or held by another worker) gets one with the code
 * {@code lease_lost} and no status: the job goes on, but no longer with this worker.
 */
public final class JobCancelledException extends HeraldException {
    private final String jobId;

    public JobCancelledException(String jobId, JobStatus status) {
        super(ErrorCode.JOB_FINISHED, "job " + jobId + " is " + status.wire() + ": stop working on it", null, status);
        this.jobId = jobId;
    }

    /** The job is no longer this worker's: its lease was lost. */
    public JobCancelledException(String jobId) {
        super(ErrorCode.LEASE_LOST, "job " + jobId + " is no longer this worker's (its lease was lost): stop working"
                + " on it", null, null);
        this.jobId = jobId;
    }

    public String jobId() {
        return jobId;
    }
}
