package dev.herald.store.jdbc;

import dev.herald.core.port.ClaimQuery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * A claim's pick in the store (API §9): the oldest due queued job of the query's types and projects not
 * held by another claim, held in the same transaction. On PostgreSQL the pick locks its row with
 * {@code FOR UPDATE SKIP LOCKED}, so claimers on every node pass over a row another is taking instead of
 * waiting for it; SQLite's single writer runs one claim at a time.
 */
final class JdbcClaims {
    private static final String HOLD = "UPDATE jobs SET claimed_version = version, claimed_until = ? WHERE id = ?";

    private final Connections connections;
    private final Dialect dialect;

    JdbcClaims(Connections connections, Dialect dialect) {
        this.connections = connections;
        this.dialect = dialect;
    }

    Optional<String> claimNext(ClaimQuery query) throws SQLException {
        long now = query.now().toEpochMilli();
        String sql = "SELECT id FROM jobs WHERE status = 'queued' AND " + dialect.anyOf("type")
                + (query.projects() == null ? "" : " AND " + dialect.anyOf("project"))
                + " AND (not_before IS NULL OR not_before <= ?)"
                + " AND (claimed_version IS NULL OR claimed_version < version OR claimed_until <= ?)"
                + " ORDER BY created_at, id LIMIT 1" + (dialect == Dialect.POSTGRESQL ? " FOR UPDATE SKIP LOCKED" : "");
        return connections.transaction(c -> {
            Optional<String> picked = pick(c, sql, query, now);
            if (picked.isPresent()) {
                try (PreparedStatement s = c.prepareStatement(HOLD)) {
                    s.setLong(1, query.holdUntil().toEpochMilli());
                    s.setString(2, picked.get());
                    s.executeUpdate();
                }
            }
            return picked;
        });
    }

    private Optional<String> pick(Connection c, String sql, ClaimQuery query, long now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            int i = 1;
            dialect.bindAnyOf(s, i++, query.types());
            if (query.projects() != null) {
                dialect.bindAnyOf(s, i++, query.projects());
            }
            s.setLong(i++, now);
            s.setLong(i, now);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }
}
