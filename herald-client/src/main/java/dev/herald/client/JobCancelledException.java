package dev.herald.client;

import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.JobStatus;

/**
 * Thrown by {@link Reporter#throwIfCancelled()} once the reporter's job was cancelled (by a person, an ancestor's
 * cancel, a lost lease) or otherwise ended without this reporter ending it: the worker should stop.
 * {@link #status()} says how the job ended; its {@link #code()} is {@code job_finished}.
 */
public final class JobCancelledException extends HeraldException {
    private final String jobId;

    public JobCancelledException(String jobId, JobStatus status) {
        super(ErrorCode.JOB_FINISHED, "job " + jobId + " is " + status.wire() + ": stop working on it", null, status);
        this.jobId = jobId;
    }

    public String jobId() {
        return jobId;
    }
}
