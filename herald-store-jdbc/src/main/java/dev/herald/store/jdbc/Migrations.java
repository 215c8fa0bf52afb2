package dev.herald.store.jdbc;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

/**
 * Brings a database up to the newest schema: each of the dialect's scripts not
 * yet recorded in {@code herald_schema_version} is applied once, in version order.
 */
final class Migrations {
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    private Migrations() {
    }

    /**
     * Runs in the caller's transaction, so a failed script leaves nothing half
     * applied and another process migrating at the same time waits for the lock.
     *
     * @return how many scripts were applied
     */
    static int apply(Connection c, Dialect dialect) throws SQLException {
        return apply(c, dialect, Integer.MAX_VALUE);
    }

    /** Applies the scripts up to {@code last}: a store as an older Herald left it, for tests of the next ones. */
    static int apply(Connection c, Dialect dialect, int last) throws SQLException {
        dialect.lockForMigration(c);
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS herald_schema_version ("
                    + "version INTEGER NOT NULL PRIMARY KEY, description TEXT NOT NULL, applied_at BIGINT NOT NULL)");
        }
        Set<Integer> applied = appliedVersions(c);
        int count = 0;
        for (MigrationScript script : MigrationScript.of(dialect)) {
            if (applied.contains(script.version()) || script.version() > last) {
                continue;
            }
            LOG.info("Applying {} migration V{}__{}", dialect, script.version(), script.description());
            try (Statement s = c.createStatement()) {
                for (String sql : script.statements()) {
                    s.execute(sql);
                }
            } catch (SQLException e) {
                throw new SQLException("migration V" + script.version() + "__" + script.description() + " failed: "
                        + e.getMessage(), e.getSQLState(), e);
            }
            record(c, script);
            count++;
        }
        return count;
    }

    private static Set<Integer> appliedVersions(Connection c) throws SQLException {
        Set<Integer> versions = new HashSet<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version FROM herald_schema_version")) {
            while (rs.next()) {
                versions.add(rs.getInt(1));
            }
        }
        return versions;
    }

    private static void record(Connection c, MigrationScript script) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO herald_schema_version (version, description, applied_at) VALUES (?, ?, ?)")) {
            s.setInt(1, script.version());
            s.setString(2, script.description());
            s.setLong(3, System.currentTimeMillis());
            s.executeUpdate();
        }
    }
}
