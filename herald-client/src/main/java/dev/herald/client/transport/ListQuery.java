package dev.herald.client.transport;

import dev.herald.core.model.JobStatus;

/**
 * The filters of {@code GET /jobs}; a null field is no filter. {@code limit} null is the server's default (50),
 * {@code cursor} the {@code nextCursor} of the page before, as the server gave it.
 */
public record ListQuery(JobStatus status, String type, String parentId, String project, String owner, Integer limit,
                        String cursor) {

    public static final ListQuery ALL = new ListQuery(null, null, null, null, null, null, null);
}
