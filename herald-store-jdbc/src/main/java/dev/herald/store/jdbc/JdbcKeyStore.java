package dev.herald.store.jdbc;

import dev.herald.core.auth.ApiKey;
import dev.herald.core.auth.KeyStore;
import dev.herald.core.auth.Scope;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * API keys in the {@code api_keys} table, beside the jobs; times are epoch
 * milliseconds. Open one with {@link JdbcStores#openDatabase}.
 */
public final class JdbcKeyStore implements KeyStore {
    private static final String COLUMNS =
            "id, name, project, scope, secret_hash, created_at, expires_at, revoked_at";

    private final Connections connections;

    JdbcKeyStore(Connections connections) {
        this.connections = connections;
    }

    @Override
    public void create(ApiKey key) {
        int inserted;
        try {
            // ON CONFLICT rather than catching the violation: the two drivers report it with different codes.
            inserted = connections.transaction(c -> {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO api_keys (" + COLUMNS
                        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
                    s.setString(1, key.id());
                    s.setString(2, key.name());
                    s.setString(3, key.project());
                    s.setString(4, key.scope().wire());
                    s.setString(5, key.secretHash());
                    s.setLong(6, key.createdAt().toEpochMilli());
                    setInstant(s, 7, key.expiresAt());
                    setInstant(s, 8, key.revokedAt());
                    return s.executeUpdate();
                }
            });
        } catch (SQLException e) {
            throw new StoreException("could not create API key " + key.id(), e);
        }
        if (inserted == 0) {
            throw new IllegalArgumentException("an API key with id " + key.id() + " exists");
        }
    }

    @Override
    public Optional<ApiKey> find(String id) {
        List<ApiKey> found = query("read API key " + id, "SELECT " + COLUMNS + " FROM api_keys WHERE id = ?", id);
        return found.stream().findFirst();
    }

    @Override
    public List<ApiKey> list() {
        return query("list API keys", "SELECT " + COLUMNS + " FROM api_keys ORDER BY created_at DESC, id DESC", null);
    }

    @Override
    public boolean revoke(String id, Instant at) {
        // One statement decides and writes, so two revocations at once cannot both report that they revoked.
        try {
            return connections.transaction(c -> {
                try (PreparedStatement s = c.prepareStatement("UPDATE api_keys SET revoked_at = ? WHERE id = ? "
                        + "AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)")) {
                    s.setLong(1, at.toEpochMilli());
                    s.setString(2, id);
                    s.setLong(3, at.toEpochMilli());
                    return s.executeUpdate() > 0;
                }
            });
        } catch (SQLException e) {
            throw new StoreException("could not revoke API key " + id, e);
        }
    }

    private List<ApiKey> query(String what, String sql, String id) {
        try {
            return connections.read(c -> {
                try (PreparedStatement s = c.prepareStatement(sql)) {
                    if (id != null) {
                        s.setString(1, id);
                    }
                    try (ResultSet rs = s.executeQuery()) {
                        List<ApiKey> keys = new ArrayList<>();
                        while (rs.next()) {
                            keys.add(read(rs));
                        }
                        return keys;
                    }
                }
            });
        } catch (SQLException e) {
            throw new StoreException("could not " + what, e);
        }
    }

    private static ApiKey read(ResultSet rs) throws SQLException {
        String scope = rs.getString("scope");
        return new ApiKey(rs.getString("id"), rs.getString("name"), rs.getString("project"),
                Scope.fromWire(scope).orElseThrow(() -> new SQLException("unknown scope '" + scope + "'")),
                rs.getString("secret_hash"), Instant.ofEpochMilli(rs.getLong("created_at")),
                instant(rs, "expires_at"), instant(rs, "revoked_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    private static void setInstant(PreparedStatement s, int index, Instant value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.BIGINT);
        } else {
            s.setLong(index, value.toEpochMilli());
        }
    }
}
