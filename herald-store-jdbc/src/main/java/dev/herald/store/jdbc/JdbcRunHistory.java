package dev.herald.store.jdbc;

import dev.herald.core.history.RunHistory;
import dev.herald.core.history.RunRecord;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The estimates' history in {@code history_totals} and {@code history_runs} (migration V5): the same SQL on
 * SQLite and PostgreSQL.
 */
final class JdbcRunHistory {
    private static final String RUNS = "SELECT finished_at, duration_ms, stages FROM history_runs "
            + "WHERE project = ? AND type = ? ORDER BY finished_at DESC, id DESC LIMIT " + RunHistory.KEPT;

    private final Connections connections;

    JdbcRunHistory(Connections connections) {
        this.connections = connections;
    }

    /** Records the runs in one transaction: all of them, or none. */
    void record(List<RunRecord> runs) {
        if (runs.isEmpty()) {
            return;
        }
        try {
            connections.transaction(c -> {
                // trimmed once per type and batch: a trim per run read its type's kept runs again for each job
                Map<List<String>, RunRecord> kept = new LinkedHashMap<>();
                for (RunRecord run : runs) {
                    count(c, run);
                    if (run.succeeded()) {
                        keep(c, run);
                        kept.put(List.of(run.project(), run.type()), run);
                    }
                }
                for (RunRecord run : kept.values()) {
                    trim(c, run);
                }
                return null;
            });
        } catch (SQLException e) {
            throw new StoreException("could not add " + (runs.size() == 1 ? "a run of " + runs.get(0).type()
                    : runs.size() + " runs") + " to their history", e);
        }
    }

    private static void count(Connection c, RunRecord run) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO history_totals "
                + "(project, type, finished, succeeded, last_finished_at) VALUES (?, ?, 1, ?, ?) "
                + "ON CONFLICT (project, type) DO UPDATE SET finished = history_totals.finished + 1, "
                + "succeeded = history_totals.succeeded + excluded.succeeded, last_finished_at = CASE WHEN "
                + "excluded.last_finished_at > history_totals.last_finished_at THEN excluded.last_finished_at "
                + "ELSE history_totals.last_finished_at END")) {
            s.setString(1, run.project());
            s.setString(2, run.type());
            s.setInt(3, run.succeeded() ? 1 : 0);
            s.setLong(4, run.finishedAt().toEpochMilli());
            s.executeUpdate();
        }
    }

    private static void keep(Connection c, RunRecord run) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO history_runs "
                + "(project, type, finished_at, duration_ms, stages) VALUES (?, ?, ?, ?, ?)")) {
            s.setString(1, run.project());
            s.setString(2, run.type());
            s.setLong(3, run.finishedAt().toEpochMilli());
            s.setLong(4, run.durationMs());
            s.setString(5, StoredStages.encode(run.stages()));
            s.executeUpdate();
        }
    }

    /** Lets go of the run's type's runs beyond the newest {@link RunHistory#KEPT}. */
    private static void trim(Connection c, RunRecord run) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM history_runs WHERE project = ? AND type = ? "
                + "AND id NOT IN (SELECT id FROM history_runs WHERE project = ? AND type = ? "
                + "ORDER BY finished_at DESC, id DESC LIMIT " + RunHistory.KEPT + ")")) {
            for (int i = 0; i < 2; i++) {
                s.setString(2 * i + 1, run.project());
                s.setString(2 * i + 2, run.type());
            }
            s.executeUpdate();
        }
    }

    RunHistory history(String project, String type) {
        List<RunHistory> found = read(project, type);
        return found.isEmpty() ? RunHistory.empty(type, project) : found.get(0);
    }

    List<RunHistory> histories(String project) {
        return read(project, null);
    }

    /** The histories of the project, of one type or (type null) of all, by type. */
    private List<RunHistory> read(String project, String type) {
        try {
            return connections.read(c -> {
                List<RunHistory> out = new ArrayList<>();
                try (PreparedStatement s = c.prepareStatement("SELECT type, finished, succeeded FROM history_totals "
                        + "WHERE project = ?" + (type == null ? "" : " AND type = ?") + " ORDER BY type")) {
                    s.setString(1, project);
                    if (type != null) {
                        s.setString(2, type);
                    }
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            out.add(new RunHistory(rs.getString(1), project, rs.getLong(2), rs.getLong(3),
                                    List.of()));
                        }
                    }
                }
                List<RunHistory> withRuns = new ArrayList<>(out.size());
                for (RunHistory h : out) {
                    withRuns.add(new RunHistory(h.type(), project, h.finished(), h.succeeded(), runs(c, h)));
                }
                return withRuns;
            });
        } catch (SQLException e) {
            throw new StoreException("could not read the history of project " + project, e);
        }
    }

    private static List<RunRecord> runs(Connection c, RunHistory of) throws SQLException {
        List<RunRecord> runs = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(RUNS)) {
            s.setString(1, of.project());
            s.setString(2, of.type());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    runs.add(new RunRecord(of.type(), of.project(), true, Instant.ofEpochMilli(rs.getLong(1)),
                            rs.getLong(2), StoredStages.decode(rs.getString(3))));
                }
            }
        }
        return runs;
    }

    int prune(Instant cutoff) {
        try {
            return connections.transaction(c -> {
                int pruned;
                try (PreparedStatement s = c.prepareStatement("DELETE FROM history_runs WHERE finished_at < ?")) {
                    s.setLong(1, cutoff.toEpochMilli());
                    pruned = s.executeUpdate();
                }
                try (PreparedStatement s = c.prepareStatement(
                        "DELETE FROM history_totals WHERE last_finished_at < ?")) {
                    s.setLong(1, cutoff.toEpochMilli());
                    s.executeUpdate();
                }
                return pruned;
            });
        } catch (SQLException e) {
            throw new StoreException("could not prune the history", e);
        }
    }
}
