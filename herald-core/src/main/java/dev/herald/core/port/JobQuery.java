package dev.herald.core.port;

import dev.herald.core.model.JobStatus;

import java.util.Set;

/**
 * A filter for listing jobs, newest first. Null fields do not filter;
 * {@code projects} null means every project. {@code after} is the decoded cursor
 * of the previous page, or null for the first.
 */
public record JobQuery(
        Set<String> projects,
        JobStatus status,
        String type,
        String parentId,
        String owner,
        int limit,
        ListCursor after) {
}
