package dev.herald.core.model;

/** The stable error catalogue of API §6; the HTTP status belongs to each code. */
public enum ErrorCode {
    INVALID_JSON(400, "invalid_json"),
    INVALID_FIELD(400, "invalid_field"),
    INVALID_PROGRESS(400, "invalid_progress"),
    UNAUTHORIZED(401, "unauthorized"),
    FORBIDDEN(403, "forbidden"),
    NOT_FOUND(404, "not_found"),
    METHOD_NOT_ALLOWED(405, "method_not_allowed"),
    INVALID_TRANSITION(409, "invalid_transition"),
    JOB_FINISHED(409, "job_finished"),
    LEASE_LOST(409, "lease_lost"),
    TOO_LARGE(413, "too_large"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported_media_type"),
    RATE_LIMITED(429, "rate_limited"),
    UNAVAILABLE(503, "unavailable");

    private final int httpStatus;
    private final String wire;

    ErrorCode(int httpStatus, String wire) {
        this.httpStatus = httpStatus;
        this.wire = wire;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String wire() {
        return wire;
    }
}
