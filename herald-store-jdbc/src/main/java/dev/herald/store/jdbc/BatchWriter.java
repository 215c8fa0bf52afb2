package dev.herald.store.jdbc;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.port.WriteBatch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Applies a {@link WriteBatch} in the caller's transaction, one batched statement per kind of change. */
final class BatchWriter {
    /*
     * Project, type, parent, owner and creation time are fixed when a job is created;
     * updating only what changes spares SQLite rewriting their index entries on every flush.
     */
    private static final String UPSERT_JOB = "INSERT INTO jobs (id, project, type, status, parent_id, owner, "
            + "created_at, updated_at, finished_at, version, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT (id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at, "
            + "finished_at = excluded.finished_at, version = excluded.version, state = excluded.state "
            + "WHERE jobs.version < excluded.version";
    private static final String INSERT_EVENT = "INSERT INTO events (position, job_id, project, type, version, time, "
            + "log_seq, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_KEY = "INSERT INTO idempotency_keys (project, key, job_id) VALUES (?, ?, ?) "
            + "ON CONFLICT (project, key) DO NOTHING";
    private static final List<String> DELETE_JOB = List.of(
            "DELETE FROM events WHERE job_id = ?",
            "DELETE FROM idempotency_keys WHERE job_id = ?",
            "DELETE FROM jobs WHERE id = ?");

    private BatchWriter() {
    }

    static Void write(Connection c, WriteBatch batch) throws SQLException {
        upsertJobs(c, newestOfEach(batch.jobs()));
        insertEvents(c, batch.events());
        insertKeys(c, batch.keys());
        delete(c, batch.deletions());
        return null;
    }

    /**
     * One row per job: the same row twice in one multi-row upsert is an error on
     * PostgreSQL, and only the newest version would be kept anyway. In id order, so
     * two nodes upserting the same jobs lock their rows in the same order and
     * cannot deadlock.
     */
    private static Collection<Job> newestOfEach(List<Job> jobs) {
        Map<String, Job> newest = new TreeMap<>();
        for (Job job : jobs) {
            newest.merge(job.id(), job, (kept, next) -> next.version() > kept.version() ? next : kept);
        }
        return newest.values();
    }

    private static void upsertJobs(Connection c, Collection<Job> jobs) throws SQLException {
        if (jobs.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement(UPSERT_JOB)) {
            for (Job job : jobs) {
                s.setString(1, job.id());
                s.setString(2, job.project());
                s.setString(3, job.type());
                s.setString(4, job.status().wire());
                s.setString(5, job.parentId());
                s.setString(6, job.owner());
                s.setLong(7, job.createdAt().toEpochMilli());
                setMillis(s, 8, job.updatedAt());
                setMillis(s, 9, job.finishedAt());
                s.setLong(10, job.version());
                s.setString(11, StoredJob.encode(job));
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private static void insertEvents(Connection c, List<JobEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement(INSERT_EVENT)) {
            for (JobEvent e : events) {
                s.setLong(1, e.position());
                s.setString(2, e.jobId());
                s.setString(3, e.project());
                s.setString(4, e.type().wire());
                s.setLong(5, e.version());
                setMillis(s, 6, e.time());
                if (e.log() == null) {
                    s.setNull(7, Types.BIGINT);
                } else {
                    s.setLong(7, e.log().seq());
                }
                s.setString(8, StoredEvent.encode(e));
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private static void insertKeys(Connection c, List<WriteBatch.IdempotencyKey> keys) throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement(INSERT_KEY)) {
            for (WriteBatch.IdempotencyKey key : keys) {
                s.setString(1, key.project());
                s.setString(2, key.key());
                s.setString(3, key.jobId());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private static void delete(Connection c, List<String> jobIds) throws SQLException {
        if (jobIds.isEmpty()) {
            return;
        }
        keepHighWaterMark(c);
        for (String sql : DELETE_JOB) {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                for (String id : jobIds) {
                    s.setString(1, id);
                    s.addBatch();
                }
                s.executeBatch();
            }
        }
    }

    /**
     * Deleting a job may delete the newest events; the position they reached is kept
     * in herald_meta so that positions are never handed out twice, not even after a
     * restart (a reader's cursor may be past them).
     */
    private static void keepHighWaterMark(Connection c) throws SQLException {
        long high = highWaterMark(c);
        try (PreparedStatement s = c.prepareStatement("INSERT INTO herald_meta (name, value) VALUES ('position', ?) "
                + "ON CONFLICT (name) DO UPDATE SET value = excluded.value")) {
            s.setString(1, Long.toString(high));
            s.executeUpdate();
        }
    }

    /** The highest position ever given out: the newest event's, or the mark kept by deletions. */
    static long highWaterMark(Connection c) throws SQLException {
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

    private static void setMillis(PreparedStatement s, int index, Instant time) throws SQLException {
        if (time == null) {
            s.setNull(index, Types.BIGINT);
        } else {
            s.setLong(index, time.toEpochMilli());
        }
    }
}
