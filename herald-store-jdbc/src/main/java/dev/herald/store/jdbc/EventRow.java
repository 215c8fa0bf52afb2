package dev.herald.store.jdbc;

import dev.herald.core.event.EventType;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * A row of {@code events} as replay reads it, with its job's row beside it ({@code job}), which the event refers to
 * by its {@code ref}: format 2 of {@link StoredEvent} keeps in {@code data} only what the columns and the job's
 * fixed fields do not tell.
 */
record EventRow(long position, String jobId, String project, String type, long version, Long time, Long logSeq,
                String data, JobRow job) {
    /** The columns {@link #read} expects, of {@code events e} joined to {@code jobs j}. */
    static final String COLUMNS = "e.position, j.id, j.project, e.type, e.version, e.time, e.log_seq, e.data, "
            + JobRow.columns("j.");
    static final String FROM = " FROM events e JOIN jobs j ON j.ref = e.job_ref";
    /** The events' column for the job of the id bound at this place (V10: the job's ref, not its id). */
    static final String JOB_IS = "e.job_ref = (SELECT ref FROM jobs WHERE id = ?)";
    /** Likewise for the project of the name bound here: events hold the ref of its row in {@code projects}. */
    static final String PROJECT_IS = "e.project_ref = (SELECT ref FROM projects WHERE name = ?)";

    /*
     * The type column holds a code since V10: an event type's place in this list, which is frozen (not the enum's
     * order). Status, the commonest, is 1, which SQLite stores in no byte at all.
     */
    private static final List<EventType> TYPES = List.of(EventType.SNAPSHOT, EventType.STATUS, EventType.PROGRESS,
            EventType.CHILDREN, EventType.LOG, EventType.DELETED);

    /** The type column's value for events of this type. */
    static int typeCode(EventType type) {
        return TYPES.indexOf(type);
    }

    static EventRow read(ResultSet rs) throws SQLException {
        int code = rs.getInt(4);
        if (code < 0 || code >= TYPES.size()) {
            throw new StoreException("the event at position " + rs.getLong(1) + " has an unknown type " + code, null);
        }
        long time = rs.getLong(6);
        Long at = rs.wasNull() ? null : time;
        long seq = rs.getLong(7);
        Long logSeq = rs.wasNull() ? null : seq;
        return new EventRow(rs.getLong(1), rs.getString(2), rs.getString(3), TYPES.get(code).wire(), rs.getLong(5), at,
                logSeq, rs.getString(8), JobRow.read(rs, 9));
    }
}
