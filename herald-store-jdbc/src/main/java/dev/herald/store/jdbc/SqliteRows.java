package dev.herald.store.jdbc;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.port.WriteBatch.IdempotencyKey;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * SQLite answers a batch with each row's count of changes, 0 for a row not written. One
 * writer (its IMMEDIATE transactions exclude every other) counts positions in memory.
 */
final class SqliteRows implements BatchRows {
    /*
     * Project, type, parent, owner and creation time are fixed when a job is created;
     * updating only what changes spares SQLite rewriting their index entries on every flush.
     */
    private static final String UPSERT_JOB = "INSERT INTO jobs (id, project, type, status, parent_id, owner, "
            + "created_at, updated_at, finished_at, version, state, not_before, lease_expires_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT (id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at, "
            + "finished_at = excluded.finished_at, version = excluded.version, state = excluded.state, "
            + "not_before = excluded.not_before, lease_expires_at = excluded.lease_expires_at "
            + "WHERE jobs.version < excluded.version";
    private static final String INSERT_EVENT = "INSERT INTO events (position, job_ref, project_ref, type, version, "
            + "time, log_seq, data) VALUES (?, (SELECT ref FROM jobs WHERE id = ?), "
            + "(SELECT ref FROM projects WHERE name = ?), ?, ?, ?, ?, ?)";
    private static final String INSERT_PROJECT = "INSERT INTO projects (name) VALUES (?) ON CONFLICT (name) DO NOTHING";
    private static final String INSERT_KEY = "INSERT INTO idempotency_keys (project, key, job_id) VALUES (?, ?, ?) "
            + "ON CONFLICT (project, key) DO NOTHING";

    /** The highest position given out, or -1 until read in a transaction (again after a rollback). */
    private volatile long head = -1;

    @Override
    public Set<String> upsertJobs(Connection c, Collection<Job> jobs) throws SQLException {
        Set<String> stale = new HashSet<>();
        for (Job job : unwritten(c, UPSERT_JOB, jobs, SqliteRows::bindJob)) {
            stale.add(job.id());
        }
        return stale;
    }

    private static void bindJob(PreparedStatement s, Job job) throws SQLException {
        s.setString(1, job.id());
        s.setString(2, job.project());
        s.setString(3, job.type());
        s.setString(4, job.status().wire());
        s.setString(5, job.parentId());
        s.setString(6, job.owner());
        s.setLong(7, job.createdAt().toEpochMilli());
        s.setObject(8, BatchWriter.millis(job.updatedAt()));
        s.setObject(9, BatchWriter.millis(job.finishedAt()));
        s.setLong(10, job.version());
        s.setString(11, StoredJob.encode(job));
        s.setObject(12, BatchWriter.millis(job.nextAttemptAt()));
        s.setObject(13, BatchWriter.leaseExpiry(job));
    }

    @Override
    public List<IdempotencyKey> insertKeys(Connection c, List<IdempotencyKey> keys) throws SQLException {
        return unwritten(c, INSERT_KEY, keys, (s, key) -> {
            s.setString(1, key.project());
            s.setString(2, key.key());
            s.setString(3, key.jobId());
        });
    }

    private interface Binder<T> {
        void bind(PreparedStatement statement, T row) throws SQLException;
    }

    /** Runs the statement once per row in one batch; answers the rows it changed nothing for. */
    private static <T> List<T> unwritten(Connection c, String sql, Collection<T> rows, Binder<T> binder)
            throws SQLException {
        List<T> ordered = List.copyOf(rows);
        List<T> unwritten = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (T row : ordered) {
                binder.bind(s, row);
                s.addBatch();
            }
            int[] counts = s.executeBatch();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] == 0) {
                    unwritten.add(ordered.get(i));
                }
            }
        }
        return unwritten;
    }

    @Override
    public List<JobEvent> appendEvents(Connection c, List<JobEvent> events, Set<String> deleted)
            throws SQLException {
        long base = head < 0 ? highWaterMark(c) : head;
        List<JobEvent> positioned = new ArrayList<>(events.size());
        try (PreparedStatement s = c.prepareStatement(INSERT_PROJECT)) {
            for (String project : BatchRows.projects(events, deleted)) {
                s.setString(1, project);
                s.addBatch();
            }
            s.executeBatch();
        }
        try (PreparedStatement s = c.prepareStatement(INSERT_EVENT)) {
            for (JobEvent e : events) {
                JobEvent stored = e.at(base + positioned.size() + 1);
                positioned.add(stored);
                if (!deleted.contains(e.jobId())) {
                    s.setLong(1, stored.position());
                    s.setString(2, e.jobId());
                    s.setString(3, e.project());
                    s.setInt(4, EventRow.typeCode(e.type()));
                    s.setLong(5, e.version());
                    s.setObject(6, BatchWriter.millis(e.time()));
                    s.setObject(7, e.log() == null ? null : e.log().seq());
                    s.setString(8, StoredEvent.encode(e));
                    s.addBatch();
                }
            }
            s.executeBatch();
        }
        head = base + events.size();
        if (!deleted.isEmpty()) {
            keepHighWaterMark(c, head);
        }
        return positioned;
    }

    @Override
    public long lastPosition(Connection c) throws SQLException {
        return highWaterMark(c);
    }

    @Override
    public void rolledBack() {
        head = -1;
    }

    /**
     * Deleting a job may delete the newest events; the position they reached is kept
     * in herald_meta so that positions are never handed out twice, not even after a
     * restart (a reader's cursor may be past them).
     */
    private static void keepHighWaterMark(Connection c, long high) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO herald_meta (name, value) VALUES ('position', ?) "
                + "ON CONFLICT (name) DO UPDATE SET value = excluded.value")) {
            s.setString(1, Long.toString(high));
            s.executeUpdate();
        }
    }

    /** The highest position ever given out: the newest event's, or the mark kept by deletions. */
    private static long highWaterMark(Connection c) throws SQLException {
        long high = 0;
        try (PreparedStatement s = c.prepareStatement("SELECT MAX(position) FROM events");
             ResultSet rs = s.executeQuery()) {
            if (rs.next()) {
                high = rs.getLong(1);
            }
        }
        try (PreparedStatement s = c.prepareStatement("SELECT value FROM herald_meta WHERE name = 'position'");
             ResultSet rs = s.executeQuery()) {
            if (rs.next()) {
                high = Math.max(high, Long.parseLong(rs.getString(1)));
            }
        }
        return high;
    }
}
