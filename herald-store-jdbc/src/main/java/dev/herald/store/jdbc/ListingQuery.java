package dev.herald.store.jdbc;

import dev.herald.core.port.JobQuery;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The SELECT for one page of a listing: the query's filters and cursor, newest
 * first, one row more than the page so the caller knows whether another follows.
 * A null filter does not filter.
 */
final class ListingQuery {
    private final Dialect dialect;
    private final List<String> conditions = new ArrayList<>();
    private final List<Object> values = new ArrayList<>();

    ListingQuery(Dialect dialect, JobQuery q) {
        this.dialect = dialect;
        where(dialect.anyOf("project"), q.projects());
        if (q.status() != null) {
            where("status = ?", q.status().wire());
        }
        where("type = ?", q.type());
        where("parent_id = ?", q.parentId());
        where("owner = ?", q.owner());
        if (q.after() != null) {
            // A row value compares (created_at, id) as one key, which both databases seek in the index.
            where("(created_at, id) < (?, ?)", q.after().createdAtMillis(), q.after().jobId());
        }
        values.add((long) q.limit() + 1);
    }

    String sql() {
        return "SELECT state FROM jobs" + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions))
                + " ORDER BY created_at DESC, id DESC LIMIT ?";
    }

    /** Adds the condition unless its first value is null. */
    private void where(String condition, Object... conditionValues) {
        if (conditionValues[0] != null) {
            conditions.add(condition);
            values.addAll(List.of(conditionValues));
        }
    }

    void bind(PreparedStatement s) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            Object v = values.get(i);
            if (v instanceof Collection<?> list) {
                dialect.bindAnyOf(s, i + 1, list.stream().map(String.class::cast).toList());
            } else if (v instanceof Long n) {
                s.setLong(i + 1, n);
            } else {
                s.setString(i + 1, (String) v);
            }
        }
    }
}
