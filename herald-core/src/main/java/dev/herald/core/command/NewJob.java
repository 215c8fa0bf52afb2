package dev.herald.core.command;

import dev.herald.core.model.JobStatus;
import dev.herald.core.model.RawJson;
import dev.herald.core.model.Stage;

import java.util.List;

/**
 * A request to create a job. The engine takes {@code project} as it is: the edge resolves it first (the
 * token's only project, {@code default}, or the parent's). {@code owner}, {@code idempotencyKey} and
 * {@code input} may be null.
 */
public record NewJob(
        String type,
        String name,
        String project,
        String owner,
        String parentId,
        List<Stage> stages,
        Double total,
        String unit,
        RawJson metadata,
        boolean completeWithChildren,
        JobStatus status,
        int maxAttempts,
        String idempotencyKey,
        RawJson input) {

    /** The most attempts a job may be given. */
    public static final int MAX_ATTEMPTS = 100;

    public NewJob {
        stages = stages == null ? List.of() : List.copyOf(stages);
        if (status == null) {
            status = JobStatus.PENDING;
        }
        if (maxAttempts < 1) {
            maxAttempts = 1;
        }
    }

    /** A job without input. */
    public NewJob(String type, String name, String project, String owner, String parentId, List<Stage> stages,
                  Double total, String unit, RawJson metadata, boolean completeWithChildren, JobStatus status,
                  int maxAttempts, String idempotencyKey) {
        this(type, name, project, owner, parentId, stages, total, unit, metadata, completeWithChildren, status,
                maxAttempts, idempotencyKey, null);
    }

    /** The same job with the input its worker reads (API §9), or null for none. */
    public NewJob withInput(RawJson value) {
        return new NewJob(type, name, project, owner, parentId, stages, total, unit, metadata, completeWithChildren,
                status, maxAttempts, idempotencyKey, value);
    }

    public static NewJob of(String type, String project) {
        return new NewJob(type, null, project, null, null, List.of(), null, null, null, false, null, 1, null);
    }

    /** The same job made by {@code owner}, with the create's {@code Idempotency-Key} (or null). */
    public NewJob by(String owner, String key) {
        return new NewJob(type, name, project, owner, parentId, stages, total, unit, metadata, completeWithChildren,
                status, maxAttempts, key, input);
    }

    /** The same job in another project: a child's, which is always its parent's. */
    public NewJob inProject(String other) {
        return new NewJob(type, name, other, owner, parentId, stages, total, unit, metadata, completeWithChildren,
                status, maxAttempts, idempotencyKey, input);
    }
}
