package dev.herald.store.jdbc;

import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.RawJson;
import dev.herald.core.port.WriteBatch;
import dev.herald.core.port.WriteBatch.IdempotencyKey;
import dev.herald.core.port.WriteConflict;
import dev.herald.core.port.WriteResult;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Applies a {@link WriteBatch} in the caller's transaction: in a cluster first the fence, then jobs,
 * keys, inputs, deletions, and last the events, which take their positions. A conflict throws before anything is committed.
 */
final class BatchWriter {
    private static final List<String> DELETE_JOB = List.of(
            "DELETE FROM events WHERE job_ref = (SELECT ref FROM jobs WHERE id = ?)",
            "DELETE FROM idempotency_keys WHERE job_id = ?",
            "DELETE FROM job_inputs WHERE job_id = ?",
            "DELETE FROM jobs WHERE id = ?");
    private static final String INSERT_INPUT = "INSERT INTO job_inputs (job_id, input) VALUES (?, ?) "
            + "ON CONFLICT (job_id) DO NOTHING";

    private BatchWriter() {
    }

    static WriteResult write(Connection c, WriteBatch batch, BatchRows rows, TreeFence fence) throws SQLException {
        Set<String> notMine = fence.notMine(c, batch);
        if (!notMine.isEmpty()) {
            throw WriteConflict.fenced(notMine);
        }
        Collection<Job> jobs = newestOfEach(batch.jobs());
        Set<String> stale = jobs.isEmpty() ? Set.of() : rows.upsertJobs(c, jobs);
        List<IdempotencyKey> taken = batch.keys().isEmpty() ? List.of()
                : takenByOthers(c, rows.insertKeys(c, batch.keys()));
        if (!stale.isEmpty() || !taken.isEmpty()) {
            throw new WriteConflict(stale, taken);
        }
        insertInputs(c, batch.inputs());
        Set<String> deleted = new LinkedHashSet<>(batch.deletions());
        delete(c, deleted);
        if (batch.events().isEmpty() && deleted.isEmpty()) {
            return WriteResult.NONE;
        }
        return new WriteResult(rows.appendEvents(c, batch.events(), deleted));
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

    /** Of the keys found present, those held by another job than the batch's, each with the holder's id. */
    private static List<IdempotencyKey> takenByOthers(Connection c, List<IdempotencyKey> present)
            throws SQLException {
        List<IdempotencyKey> taken = new ArrayList<>();
        for (IdempotencyKey key : present) {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT job_id FROM idempotency_keys WHERE project = ? AND key = ?")) {
                s.setString(1, key.project());
                s.setString(2, key.key());
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next() && !rs.getString(1).equals(key.jobId())) {
                        taken.add(new IdempotencyKey(key.project(), key.key(), rs.getString(1)));
                    }
                }
            }
        }
        return taken;
    }

    private static void insertInputs(Connection c, Map<String, RawJson> inputs) throws SQLException {
        if (inputs.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement(INSERT_INPUT)) {
            for (Map.Entry<String, RawJson> input : inputs.entrySet()) {
                s.setString(1, input.getKey());
                s.setString(2, input.getValue().text());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private static void delete(Connection c, Collection<String> jobIds) throws SQLException {
        if (jobIds.isEmpty()) {
            return;
        }
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

    /** Epoch milliseconds, or null for no time. */
    static Long millis(Instant time) {
        return time == null ? null : time.toEpochMilli();
    }

    /** When a running job's lease ends, as the lease watch looks it up; null for a job no worker holds. */
    static Long leaseExpiry(Job job) {
        return job.status() == JobStatus.RUNNING && job.lease() != null ? job.lease().expiresAt().toEpochMilli() : null;
    }
}
