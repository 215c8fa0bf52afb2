package dev.herald.store.jdbc;

import dev.herald.core.port.ClaimQuery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * A claim's pick in the store (API §9): the oldest due queued job of the query's types and projects not
 * held by another claim, then held for this one. On PostgreSQL, which several nodes share, the hold is the
 * row's {@code claimed_version} and {@code claimed_until}, written in the pick's transaction, and the pick
 * locks its row with {@code FOR UPDATE SKIP LOCKED}, so claimers on every node pass over a row another is
 * taking instead of waiting for it. SQLite's file belongs to one process, so its holds are kept in memory
 * and the pick reads on a reader connection: a claim costs no write, and no sync of the file.
 */
final class JdbcClaims {
    private static final String HOLD = "UPDATE jobs SET claimed_version = version, claimed_until = ? WHERE id = ?";
    /** Candidates read at once in memory mode; only jobs being taken right now are passed over. */
    private static final int PAGE = 32;

    private final Connections connections;
    private final Dialect dialect;
    /** SQLite: each held job's version when held, and until when; guarded by this object. */
    private final Map<String, long[]> holds = new HashMap<>();
    /** SQLite: the holds by their ends, soonest first (a job held again has an entry for each hold). */
    private final PriorityQueue<Hold> ends = new PriorityQueue<>(Comparator.comparingLong(Hold::until));

    private record Hold(String id, long until) {
    }

    /** A queued job that may be claimed, with what a pick and a page need of it. */
    private record Candidate(String id, long version, long createdAt) {
    }

    JdbcClaims(Connections connections, Dialect dialect) {
        this.connections = connections;
        this.dialect = dialect;
    }

    Optional<String> claimNext(ClaimQuery query) throws SQLException {
        if (dialect == Dialect.SQLITE) {
            return holdInMemory(query);
        }
        String sql = candidates(query, "", "AND (claimed_version IS NULL OR claimed_version < version "
                + "OR claimed_until <= ?)", "LIMIT 1 FOR UPDATE SKIP LOCKED");
        return connections.transaction(c -> {
            List<Candidate> picked = read(c, sql, query, null, true);
            if (picked.isEmpty()) {
                return Optional.empty();
            }
            try (PreparedStatement s = c.prepareStatement(HOLD)) {
                s.setLong(1, query.holdUntil().toEpochMilli());
                s.setString(2, picked.get(0).id());
                s.executeUpdate();
            }
            return Optional.of(picked.get(0).id());
        });
    }

    /** The pages are read outside the lock, so claims read side by side; only the pick holds it. */
    private Optional<String> holdInMemory(ClaimQuery query) throws SQLException {
        String first = candidates(query, "", "", "LIMIT " + PAGE);
        String next = candidates(query, "AND (created_at > ? OR (created_at = ? AND id > ?))", "", "LIMIT " + PAGE);
        Candidate after = null;
        while (true) {
            Candidate cursor = after;
            List<Candidate> page = connections.read(c -> read(c, cursor == null ? first : next, query, cursor, false));
            String picked = pick(page, query);
            if (picked != null) {
                return Optional.of(picked);
            }
            if (page.size() < PAGE) {
                return Optional.empty();
            }
            after = page.get(page.size() - 1);
        }
    }

    /** The first candidate of the page no claim holds, now held for this one; null when all are held. */
    private synchronized String pick(List<Candidate> page, ClaimQuery query) {
        long now = query.now().toEpochMilli();
        // holds run out in the order of their ends: each claim drops the ended ones, never scanning them all
        for (Hold h = ends.peek(); h != null && h.until() <= now; h = ends.peek()) {
            ends.poll();
            long[] held = holds.get(h.id());
            if (held != null && held[1] == h.until()) {
                holds.remove(h.id());
            }
        }
        for (Candidate job : page) {
            long[] held = holds.get(job.id());
            if (held == null || held[0] < job.version() || held[1] <= now) {
                long until = query.holdUntil().toEpochMilli();
                holds.put(job.id(), new long[] {job.version(), until});
                ends.add(new Hold(job.id(), until));
                return job.id();
            }
        }
        return null;
    }

    private String candidates(ClaimQuery query, String after, String unheld, String tail) {
        return "SELECT id, version, created_at FROM jobs WHERE status = 'queued' AND " + dialect.anyOf("type")
                + (query.projects() == null ? "" : " AND " + dialect.anyOf("project"))
                + " AND (not_before IS NULL OR not_before <= ?) " + after + " " + unheld
                + " ORDER BY created_at, id " + tail;
    }

    /** The candidates; {@code after} one of them pages on, {@code held} binds the time holds are judged at. */
    private List<Candidate> read(Connection c, String sql, ClaimQuery query, Candidate after, boolean held)
            throws SQLException {
        long now = query.now().toEpochMilli();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            int i = 1;
            dialect.bindAnyOf(s, i++, query.types());
            if (query.projects() != null) {
                dialect.bindAnyOf(s, i++, query.projects());
            }
            s.setLong(i++, now);
            if (after != null) {
                s.setLong(i++, after.createdAt());
                s.setLong(i++, after.createdAt());
                s.setString(i++, after.id());
            }
            if (held) {
                s.setLong(i, now);
            }
            List<Candidate> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Candidate(rs.getString(1), rs.getLong(2), rs.getLong(3)));
                }
            }
            return rows;
        }
    }
}
