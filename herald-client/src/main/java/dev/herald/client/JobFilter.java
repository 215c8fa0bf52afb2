package dev.herald.client;

import dev.herald.client.transport.ListQuery;
import dev.herald.core.model.JobStatus;

/**
 * Which jobs {@link Herald#list} answers, newest first: {@code JobFilter.status(RUNNING).type("import-csv").limit(50)}.
 * Immutable; a filter left empty lists every job the token may read.
 */
public final class JobFilter {
    private final ListQuery q;

    private JobFilter(ListQuery q) {
        this.q = q;
    }

    /** Every job the token may read. */
    public static JobFilter all() {
        return new JobFilter(ListQuery.ALL);
    }

    /** Jobs with this status. */
    public static JobFilter status(JobStatus status) {
        Arguments.required(status, "status");
        return new JobFilter(new ListQuery(status, null, null, null, null, null, null));
    }

    public JobFilter type(String type) {
        return new JobFilter(new ListQuery(q.status(), Arguments.text(type, "type"), q.parentId(), q.project(),
                q.owner(), q.limit(), q.cursor()));
    }

    /** The direct children of this job. */
    public JobFilter parentId(String parentId) {
        return new JobFilter(new ListQuery(q.status(), q.type(), Arguments.text(parentId, "parent id"), q.project(),
                q.owner(), q.limit(), q.cursor()));
    }

    public JobFilter project(String project) {
        return new JobFilter(new ListQuery(q.status(), q.type(), q.parentId(), Arguments.text(project, "project"),
                q.owner(), q.limit(), q.cursor()));
    }

    /** Jobs created by this owner (a key's name or a JWT's subject). */
    public JobFilter owner(String owner) {
        return new JobFilter(new ListQuery(q.status(), q.type(), q.parentId(), q.project(),
                Arguments.text(owner, "owner"), q.limit(), q.cursor()));
    }

    /** The most jobs in one page: 1 to 500 (the server's default is 50). */
    public JobFilter limit(int limit) {
        if (limit < 1 || limit > 500) {
            throw new IllegalArgumentException("limit must be between 1 and 500 (got " + limit + ")");
        }
        return new JobFilter(new ListQuery(q.status(), q.type(), q.parentId(), q.project(), q.owner(), limit,
                q.cursor()));
    }

    /** The page after the one whose {@link JobList#nextCursor()} this is. */
    public JobFilter cursor(String cursor) {
        return new JobFilter(new ListQuery(q.status(), q.type(), q.parentId(), q.project(), q.owner(), q.limit(),
                Arguments.text(cursor, "cursor")));
    }

    ListQuery query() {
        return q;
    }
}
