package dev.herald.core.model;

/**
 * A refusal the caller can act on: bad input, an unknown job, a transition the
 * job does not allow. The edge turns it into an error body; it is never a 5xx
 * unless the code says {@code unavailable}.
 */
public class HeraldException extends RuntimeException {
    private final ErrorCode code;
    private final String field;
    private final JobStatus status;

    public HeraldException(ErrorCode code, String message) {
        this(code, message, null, null);
    }

    public HeraldException(ErrorCode code, String message, String field, JobStatus status) {
        super(message, null, false, false);
        this.code = code;
        this.field = field;
        this.status = status;
    }

    public static HeraldException field(ErrorCode code, String field, String message) {
        return new HeraldException(code, message, field, null);
    }

    public static HeraldException notFound() {
        return new HeraldException(ErrorCode.NOT_FOUND, "no such job");
    }

    public static HeraldException finished(JobStatus status) {
        return new HeraldException(ErrorCode.JOB_FINISHED, "the job is " + status.wire() + " and can no longer change",
                null, status);
    }

    public ErrorCode code() {
        return code;
    }

    /** The request field at fault, or null. */
    public String field() {
        return field;
    }

    /** For {@code job_finished} and {@code invalid_transition}: the job's status, else null. */
    public JobStatus status() {
        return status;
    }
}
