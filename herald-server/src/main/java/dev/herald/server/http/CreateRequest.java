package dev.herald.server.http;

import dev.herald.core.command.NewJob;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.RawJson;
import dev.herald.core.model.Stage;

import java.util.List;

/**
 * A validated {@code POST /jobs} body (API §2). {@code project} is what the client
 * asked for (null when absent): the edge resolves the project the job really gets
 * (the token's only project, {@code default}, or the parent's) and passes it to
 * {@link #toCommand}. Optional fields the client left out are null, except
 * {@code stages} (empty), {@code status} ({@code pending}) and {@code maxAttempts} (1).
 */
public record CreateRequest(
        String type,
        String name,
        String project,
        String parentId,
        List<Stage> stages,
        Double total,
        String unit,
        RawJson metadata,
        boolean completeWithChildren,
        JobStatus status,
        int maxAttempts) {

    public CreateRequest {
        stages = stages == null ? List.of() : List.copyOf(stages);
        if (status == null) {
            status = JobStatus.PENDING;
        }
    }

    /**
     * The engine command.
     *
     * @param project        the resolved project (not necessarily {@link #project()})
     * @param owner          the caller, from its token
     * @param idempotencyKey the validated {@code Idempotency-Key} header (see
     *                       {@link Requests#idempotencyKey(java.util.List)}), or null
     */
    public NewJob toCommand(String project, String owner, String idempotencyKey) {
        return new NewJob(type, name, project, owner, parentId, stages, total, unit, metadata,
                completeWithChildren, status, maxAttempts, idempotencyKey);
    }
}
