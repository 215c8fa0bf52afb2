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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PostgreSQL writes each kind of row in one statement over arrays ({@code unnest}), which
 * tells the rows written by {@code RETURNING}: a rewritten JDBC batch answers no count per
 * row. Positions come from the one-row {@code event_head}: its row lock orders the
 * writers of every node, so positions are dense and in commit order.
 */
final class PostgresRows implements BatchRows {
    private static final String TEXT = "text";
    private static final String BIGINT = "bigint";
    /*
     * A new row's root_id is its tree's root: the topmost of its ancestors in the batch ("top"), or, when
     * that one has a parent, the parent's stored root. A conflicting row keeps its own, which never changes.
     */
    private static final String UPSERT_JOBS = "INSERT INTO jobs (id, project, type, status, parent_id, owner, "
            + "created_at, updated_at, finished_at, version, state, not_before, lease_expires_at, root_id) "
            + "SELECT u.id, u.project, u.type, u.status, u.parent_id, u.owner, u.created_at, u.updated_at, "
            + "u.finished_at, u.version, u.state, u.not_before, u.lease_expires_at, CASE WHEN u.top_parent IS NULL "
            + "THEN u.top ELSE COALESCE((SELECT p.root_id FROM jobs p WHERE p.id = u.top_parent), u.top) END "
            + "FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], "
            + "?::bigint[], ?::bigint[], ?::bigint[], ?::text[], ?::bigint[], ?::bigint[], ?::text[], ?::text[]) "
            + "AS u(id, project, type, status, parent_id, owner, created_at, updated_at, finished_at, version, "
            + "state, not_before, lease_expires_at, top, top_parent) "
            + "ON CONFLICT (id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at, "
            + "finished_at = excluded.finished_at, version = excluded.version, state = excluded.state, "
            + "not_before = excluded.not_before, lease_expires_at = excluded.lease_expires_at "
            + "WHERE jobs.version < excluded.version RETURNING id";
    private static final String INSERT_KEYS = "INSERT INTO idempotency_keys (project, key, job_id) "
            + "SELECT * FROM unnest(?::text[], ?::text[], ?::text[]) ON CONFLICT (project, key) DO NOTHING "
            + "RETURNING project, key, job_id";
    /*
     * The counter goes up by all the events, those of deleted jobs too: a position is never
     * reused. Its row stays locked until COMMIT, right after this statement.
     */
    private static final String APPEND_EVENTS = "WITH head AS (UPDATE event_head SET position = position + ? "
            + "RETURNING position - ? AS base), "
            + "appended AS (INSERT INTO events (position, job_ref, project_ref, type, version, time, log_seq, data) "
            + "SELECT head.base + e.ord, (SELECT ref FROM jobs WHERE id = e.job_id), "
            + "(SELECT ref FROM projects WHERE name = e.project), e.type, e.version, "
            + "e.time, e.log_seq, e.data "
            + "FROM head, unnest(?::bigint[], ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[], "
            + "?::bigint[], ?::text[]) AS e(ord, job_id, project, type, version, time, log_seq, data)) "
            + "SELECT base FROM head";

    /* Its own statement, before the one that appends: that one's snapshot then sees a project another writer added. */
    private static final String INSERT_PROJECTS = "INSERT INTO projects (name) SELECT unnest(?::text[]) "
            + "ON CONFLICT (name) DO NOTHING";

    @Override
    public Set<String> upsertJobs(Connection c, Collection<Job> jobs) throws SQLException {
        Columns rows = new Columns(c, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, BIGINT, BIGINT, BIGINT, BIGINT, TEXT,
                BIGINT, BIGINT, TEXT, TEXT);
        Map<String, Job> byId = new HashMap<>();
        jobs.forEach(job -> byId.put(job.id(), job));
        for (Job job : jobs) {
            Job top = topInBatch(job, byId);
            rows.add(job.id(), job.project(), job.type(), job.status().wire(), job.parentId(), job.owner(),
                    job.createdAt().toEpochMilli(), BatchWriter.millis(job.updatedAt()),
                    BatchWriter.millis(job.finishedAt()), job.version(), StoredJob.encode(job),
                    BatchWriter.millis(job.nextAttemptAt()), BatchWriter.leaseExpiry(job), top.id(), top.parentId());
        }
        Set<String> stale = new HashSet<>(jobs.stream().map(Job::id).toList());
        try (PreparedStatement s = c.prepareStatement(UPSERT_JOBS)) {
            rows.bind(s, 1);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    stale.remove(rs.getString(1));
                }
            }
        }
        return stale;
    }

    /** The job's highest ancestor among the batch's jobs (the job itself when its parent is not among them). */
    private static Job topInBatch(Job job, Map<String, Job> batch) {
        Job top = job;
        for (int hops = 0; top.parentId() != null && batch.containsKey(top.parentId()) && hops < batch.size(); hops++) {
            top = batch.get(top.parentId());
        }
        return top;
    }

    @Override
    public List<IdempotencyKey> insertKeys(Connection c, List<IdempotencyKey> keys) throws SQLException {
        Columns rows = new Columns(c, TEXT, TEXT, TEXT);
        keys.forEach(k -> rows.add(k.project(), k.key(), k.jobId()));
        List<IdempotencyKey> present = new ArrayList<>(keys);
        try (PreparedStatement s = c.prepareStatement(INSERT_KEYS)) {
            rows.bind(s, 1);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    present.remove(new IdempotencyKey(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
        }
        return present;
    }

    @Override
    public List<JobEvent> appendEvents(Connection c, List<JobEvent> events, Set<String> deleted)
            throws SQLException {
        if (events.isEmpty()) {
            return List.of();
        }
        Columns rows = new Columns(c, BIGINT, TEXT, TEXT, BIGINT, BIGINT, BIGINT, BIGINT, TEXT);
        for (int i = 0; i < events.size(); i++) {
            JobEvent e = events.get(i);
            if (!deleted.contains(e.jobId())) {
                rows.add((long) i + 1, e.jobId(), e.project(), (long) EventRow.typeCode(e.type()), e.version(),
                        BatchWriter.millis(e.time()), e.log() == null ? null : e.log().seq(), StoredEvent.encode(e));
            }
        }
        try (PreparedStatement s = c.prepareStatement(INSERT_PROJECTS)) {
            s.setArray(1, c.createArrayOf(TEXT, BatchRows.projects(events, deleted).toArray()));
            s.executeUpdate();
        }
        long base;
        try (PreparedStatement s = c.prepareStatement(APPEND_EVENTS)) {
            s.setLong(1, events.size());
            s.setLong(2, events.size());
            rows.bind(s, 3);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("event_head has no row: the store's V4 migration is incomplete");
                }
                base = rs.getLong(1);
            }
        }
        List<JobEvent> positioned = new ArrayList<>(events.size());
        for (JobEvent e : events) {
            positioned.add(e.at(base + positioned.size() + 1));
        }
        return positioned;
    }

    @Override
    public long lastPosition(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT position FROM event_head");
             ResultSet rs = s.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** Rows gathered column by column, each column bound as one array parameter of its SQL type. */
    private static final class Columns {
        private final Connection connection;
        private final String[] types;
        private final List<List<Object>> columns = new ArrayList<>();

        Columns(Connection connection, String... types) {
            this.connection = connection;
            this.types = types;
            for (int i = 0; i < types.length; i++) {
                columns.add(new ArrayList<>());
            }
        }

        void add(Object... row) {
            for (int i = 0; i < row.length; i++) {
                columns.get(i).add(row[i]);
            }
        }

        void bind(PreparedStatement s, int first) throws SQLException {
            for (int i = 0; i < types.length; i++) {
                s.setArray(first + i, connection.createArrayOf(types[i], columns.get(i).toArray()));
            }
        }
    }
}
