package dev.herald.core.engine;

/** A creation lost its idempotency key to another job, created meanwhile elsewhere: it answers that job. */
final class KeyTaken extends RuntimeException {
    final String jobId;

    KeyTaken(String jobId) {
        super("idempotency key taken by " + jobId, null, false, false);
        this.jobId = jobId;
    }
}
