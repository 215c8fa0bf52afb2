package dev.herald.store.jdbc;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.port.WriteBatch.IdempotencyKey;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The statements of a {@link BatchWriter} that differ between SQLite and PostgreSQL: how a
 * multi-row write tells which rows it did not write, and how positions are given out.
 */
interface BatchRows {

    /** Upserts the jobs (one row each, in id order); answers the ids whose stored version is newer. */
    Set<String> upsertJobs(Connection c, Collection<Job> jobs) throws SQLException;

    /** Inserts the keys unless present; answers those that were present already. */
    List<IdempotencyKey> insertKeys(Connection c, List<IdempotencyKey> keys) throws SQLException;

    /**
     * Gives the events the next positions, in order, and inserts all but those of the deleted
     * jobs; the transaction's last statement, so that positions are taken in commit order.
     */
    List<JobEvent> appendEvents(Connection c, List<JobEvent> events, Set<String> deleted) throws SQLException;

    /**
     * The projects of the events that are inserted, which need a row in {@code projects} first (V10), in name order:
     * writers that add the same new projects at once lock them in the same order.
     */
    static Set<String> projects(List<JobEvent> events, Set<String> deleted) {
        Set<String> projects = new TreeSet<>();
        events.stream().filter(e -> !deleted.contains(e.jobId())).forEach(e -> projects.add(e.project()));
        return projects;
    }

    /** The highest position ever given out. */
    long lastPosition(Connection c) throws SQLException;

    /** The transaction that called this object rolled back. */
    default void rolledBack() {
    }
}
