package dev.herald.store.jdbc;

import dev.herald.core.port.JobQuery;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The SELECT for one page of a listing: the query's filters and cursor, newest
 * first, one row more than the page so the caller knows whether another follows;
 * or, {@link #counting}, the count of every job the filters but status match, by
 * status. A null filter does not filter.
 */
final class ListingQuery {
    private final Dialect dialect;
    private final boolean page;
    private final List<String> conditions = new ArrayList<>();
    private final List<Object> values = new ArrayList<>();

    ListingQuery(Dialect dialect, JobQuery q) {
        this(dialect, q, true);
    }

    private ListingQuery(Dialect dialect, JobQuery q, boolean page) {
        this.dialect = dialect;
        this.page = page;
        where(dialect.anyOf("project"), q.projects());
        if (page && q.status() != null) {
            where("status = ?", q.status().wire());
        }
        where("type = ?", q.type());
        where("parent_id = ?", q.parentId());
        where("owner = ?", q.owner());
        if (page && q.after() != null) {
            // A row value compares (created_at, id) as one key, which both databases seek in the index.
            where("(created_at, id) < (?, ?)", q.after().createdAtMillis(), q.after().jobId());
        }
        if (page) {
            values.add((long) q.limit() + 1);
        }
    }

    /** Rows of (status, count). */
    static ListingQuery counting(Dialect dialect, JobQuery q) {
        return new ListingQuery(dialect, q, false);
    }

    String sql() {
        String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        return page ? "SELECT " + JobRow.COLUMNS + " FROM jobs" + where
                + " ORDER BY created_at DESC, id DESC LIMIT ?"
                : "SELECT status, COUNT(*) FROM jobs" + where + " GROUP BY status";
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
