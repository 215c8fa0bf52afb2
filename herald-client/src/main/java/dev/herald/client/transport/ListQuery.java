package dev.herald.client.transport;

import dev.herald.core.model.JobStatus;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The filters of {@code GET /jobs}; a null field is no filter. {@code limit} null is the server's default (50),
 * {@code cursor} the {@code nextCursor} of the page before, as the server gave it.
 */
public record ListQuery(JobStatus status, String type, String parentId, String project, String owner, Integer limit,
                        String cursor) {

    public static final ListQuery ALL = new ListQuery(null, null, null, null, null, null, null);

    /** The query parameters, by name, in the API's order; a null value is one not sent. */
    public Map<String, Object> params() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("status", status == null ? null : status.wire());
        params.put("type", type);
        params.put("parentId", parentId);
        params.put("project", project);
        params.put("owner", owner);
        params.put("limit", limit);
        params.put("cursor", cursor);
        return params;
    }
}
