package dev.herald.store.jdbc;

import dev.herald.core.event.JobEvent;
import dev.herald.core.history.RunHistory;
import dev.herald.core.history.RunRecord;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLine;
import dev.herald.core.model.RawJson;
import dev.herald.core.port.ClaimQuery;
import dev.herald.core.port.JobPage;
import dev.herald.core.port.JobQuery;
import dev.herald.core.port.JobStore;
import dev.herald.core.port.ListCursor;
import dev.herald.core.port.WriteBatch;
import dev.herald.core.port.WriteResult;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The job store on SQLite or PostgreSQL. Each job is stored whole in the store's
 * own form ({@link StoredJob}), with the fields that listings filter on beside it;
 * retained events likewise ({@link StoredEvent}).
 * Open one with {@link JdbcStores#open}.
 */
public final class JdbcJobStore implements JobStore {
    private static final Binder NO_PARAMETERS = s -> { };

    private final Connections connections;
    private final Dialect dialect;
    private final String epoch;
    private final JdbcRunHistory history;
    private final BatchRows rows;
    private final JdbcClaims claims;
    private volatile TreeFence fence = TreeFence.NONE;

    JdbcJobStore(Connections connections, Dialect dialect) {
        this.connections = connections;
        this.dialect = dialect;
        this.rows = dialect == Dialect.SQLITE ? new SqliteRows() : new PostgresRows();
        this.claims = new JdbcClaims(connections, dialect);
        this.history = new JdbcRunHistory(connections);
        this.epoch = first("read the store's epoch", "SELECT value FROM herald_meta WHERE name = 'epoch'",
                NO_PARAMETERS, rs -> rs.getString(1))
                .orElseThrow(() -> new StoreException("the store has no epoch in herald_meta", null));
    }

    @Override
    public String epoch() {
        return epoch;
    }

    @Override
    public long lastPosition() {
        try {
            return connections.read(rows::lastPosition);
        } catch (SQLException e) {
            throw new StoreException("could not read the last position", e);
        }
    }

    @Override
    public WriteResult write(WriteBatch batch) {
        if (batch.isEmpty()) {
            return WriteResult.NONE;
        }
        try {
            return connections.transaction(c -> BatchWriter.write(c, batch, rows, fence));
        } catch (SQLException e) {
            rows.rolledBack();
            throw new StoreException("could not write a batch (" + batch.jobs().size() + " jobs, " + batch.events().size()
                    + " events, " + batch.keys().size() + " keys, " + batch.deletions().size() + " deletions)", e);
        } catch (RuntimeException e) {
            // a WriteConflict among them: the transaction rolled back, positions included
            rows.rolledBack();
            throw e;
        }
    }

    /** From now on every write is fenced as this node's (docs/cluster.md §2.6); PostgreSQL only. */
    void fenceAs(String nodeId) {
        fence = new PostgresFence(nodeId);
    }

    @Override
    public Optional<Job> find(String id) {
        return first("read job " + id, "SELECT " + JobRow.COLUMNS + " FROM jobs WHERE id = ?",
                s -> s.setString(1, id), rs -> JobRow.read(rs, 1).job());
    }

    @Override
    public JobPage list(JobQuery query) {
        if (query.limit() < 1) {
            throw new IllegalArgumentException("a listing's limit must be at least 1, not " + query.limit());
        }
        ListingQuery listing = new ListingQuery(dialect, query);
        List<Job> jobs = rows("list jobs", listing.sql(), listing::bind, rs -> JobRow.read(rs, 1).job());
        if (jobs.size() <= query.limit()) {
            return new JobPage(jobs, null);
        }
        List<Job> page = List.copyOf(jobs.subList(0, query.limit()));
        Job last = page.get(page.size() - 1);
        return new JobPage(page, new ListCursor(last.createdAt().toEpochMilli(), last.id()));
    }

    @Override
    public Map<JobStatus, Long> countByStatus(JobQuery query) {
        ListingQuery counting = ListingQuery.counting(dialect, query);
        Map<JobStatus, Long> counts = new EnumMap<>(JobStatus.class);
        rows("count jobs", counting.sql(), counting::bind,
                rs -> Map.entry(JobStatus.fromWire(rs.getString(1)).orElseThrow(), rs.getLong(2)))
                .forEach(e -> counts.put(e.getKey(), e.getValue()));
        return counts;
    }

    @Override
    public List<JobEvent> eventsAfter(Collection<String> jobIds, long after, int limit) {
        return jobIds.isEmpty() ? List.of()
                : events("read events", dialect.anyOf("j.id"), s -> dialect.bindAnyOf(s, 1, jobIds), after, limit);
    }

    @Override
    public List<JobEvent> eventsBetween(long after, long upTo, int limit) {
        return events("read the events after a position", "e.position <= ?", s -> s.setLong(1, upTo), after, limit);
    }

    @Override
    public List<JobEvent> projectEventsAfter(String project, long after, int limit) {
        return events("read the events of a project", EventRow.PROJECT_IS, s -> s.setString(1, project), after,
                limit);
    }

    /** Events matching the condition (one parameter, bound by {@code binder}) after a position. */
    private List<JobEvent> events(String what, String condition, Binder binder, long after, int limit) {
        String sql = "SELECT " + EventRow.COLUMNS + EventRow.FROM + " WHERE " + condition
                + " AND e.position > ? ORDER BY e.position LIMIT ?";
        return limit < 1 ? List.of() : rows(what, sql, s -> {
            binder.bind(s);
            s.setLong(2, after);
            s.setInt(3, limit);
        }, rs -> StoredEvent.decode(EventRow.read(rs)));
    }

    @Override
    public List<LogLine> logs(String jobId, long after, int limit) {
        if (limit < 1) {
            return List.of();
        }
        return rows("read the logs of job " + jobId, "SELECT " + EventRow.COLUMNS + EventRow.FROM
                + " WHERE " + EventRow.JOB_IS + " AND e.log_seq > ? ORDER BY e.log_seq LIMIT ?", s -> {
                    s.setString(1, jobId);
                    s.setLong(2, after);
                    s.setInt(3, limit);
                }, rs -> StoredEvent.decode(EventRow.read(rs)).log());
    }

    @Override
    public long lastLogSeq(String jobId) {
        // "IS NOT NULL" lets the database find the maximum in the partial index of log lines, not among all events.
        return first("read the last log seq of job " + jobId,
                "SELECT MAX(e.log_seq) FROM events e WHERE " + EventRow.JOB_IS + " AND e.log_seq IS NOT NULL",
                s -> s.setString(1, jobId), rs -> rs.getLong(1)).orElse(0L);
    }

    @Override
    public Optional<String> jobIdForIdempotencyKey(String project, String key) {
        return first("read an idempotency key", "SELECT job_id FROM idempotency_keys WHERE project = ? AND key = ?",
                s -> {
                    s.setString(1, project);
                    s.setString(2, key);
                }, rs -> rs.getString(1));
    }

    @Override
    public List<Job> finishedBefore(Instant cutoff, int limit) {
        if (limit < 1) {
            return List.of();
        }
        return rows("find finished jobs", "SELECT " + JobRow.COLUMNS + " FROM jobs WHERE finished_at < ? "
                + "AND (parent_id IS NULL OR NOT EXISTS (SELECT 1 FROM jobs p WHERE p.id = jobs.parent_id "
                + "AND (p.finished_at IS NULL OR p.finished_at >= ?))) ORDER BY finished_at, id LIMIT ?", s -> {
                    s.setLong(1, cutoff.toEpochMilli());
                    s.setLong(2, cutoff.toEpochMilli());
                    s.setInt(3, limit);
                }, rs -> JobRow.read(rs, 1).job());
    }

    @Override
    public List<Job> unfinished(String afterId, int limit) {
        return UnfinishedJobs.page(connections, afterId, limit);
    }

    @Override
    public Set<String> parentsOfJobsWithEventsAfter(long position) {
        return new HashSet<>(rows("find the parents of recent changes", "SELECT DISTINCT j.parent_id FROM events e "
                + "JOIN jobs j ON j.ref = e.job_ref WHERE e.position > ? AND j.parent_id IS NOT NULL",
                s -> s.setLong(1, position), rs -> rs.getString(1)));
    }

    @Override
    public Optional<String> claimNext(ClaimQuery query) {
        try {
            return claims.claimNext(query);
        } catch (SQLException e) {
            throw new StoreException("could not claim a job", e);
        }
    }

    @Override
    public List<String> expiredLeases(Instant now, int limit) {
        return rows("find expired leases", "SELECT id FROM jobs WHERE lease_expires_at <= ? AND status = 'running' "
                + "ORDER BY lease_expires_at LIMIT ?", s -> {
                    s.setLong(1, now.toEpochMilli());
                    s.setInt(2, limit);
                }, rs -> rs.getString(1));
    }

    @Override
    public Optional<RawJson> input(String jobId) {
        return first("read the input of job " + jobId, "SELECT input FROM job_inputs WHERE job_id = ?",
                s -> s.setString(1, jobId), rs -> new RawJson(rs.getString(1)));
    }

    @Override
    public void recordRuns(List<RunRecord> runs) {
        history.record(runs);
    }

    @Override
    public RunHistory history(String project, String type) {
        return history.history(project, type);
    }

    @Override
    public List<RunHistory> histories(String project) {
        return history.histories(project);
    }

    @Override
    public int pruneHistory(Instant cutoff) {
        return history.prune(cutoff);
    }

    @Override
    public void ping() {
        first("reach the database", "SELECT 1", NO_PARAMETERS, rs -> rs.getInt(1));
    }

    @Override
    public void close() {
        connections.close();
    }

    private interface Binder { void bind(PreparedStatement statement) throws SQLException; }

    private interface RowReader<T> { T read(ResultSet row) throws SQLException; }

    /** The first row's value, empty when there is no row or its value is SQL NULL. */
    private <T> Optional<T> first(String what, String sql, Binder binder, RowReader<T> reader) {
        List<T> rows = rows(what, sql, binder, rs -> {
            T value = reader.read(rs);
            return rs.wasNull() ? null : value;
        });
        return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(rows.get(0));
    }

    private <T> List<T> rows(String what, String sql, Binder binder, RowReader<T> reader) {
        try {
            return connections.read(c -> {
                try (PreparedStatement s = c.prepareStatement(sql)) {
                    binder.bind(s);
                    return collect(s, reader);
                }
            });
        } catch (SQLException e) {
            throw new StoreException("could not " + what, e);
        }
    }

    private static <T> List<T> collect(PreparedStatement s, RowReader<T> reader) throws SQLException {
        try (ResultSet rs = s.executeQuery()) {
            List<T> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(reader.read(rs));
            }
            return rows;
        }
    }
}
