package dev.herald.store.jdbc;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.Optional;

/**
 * What SQLite and PostgreSQL do differently, kept to the few places it matters:
 * the migration scripts, how a list of values is bound, and how concurrent
 * migrations are kept apart. Everything else is the same SQL.
 */
enum Dialect {
    SQLITE("sqlite") {
        @Override
        String anyOf(String column) {
            return column + " IN (SELECT value FROM json_each(?))";
        }

        @Override
        void bindAnyOf(PreparedStatement statement, int index, Collection<String> values) throws SQLException {
            statement.setString(index, jsonArray(values));
        }

        @Override
        void lockForMigration(Connection connection) {
            // The writer begins IMMEDIATE transactions, which already exclude every other writer of the file.
        }
    },

    POSTGRESQL("postgresql") {
        /** "HeraldM1" in ASCII. Advisory locks span the database, so migrations of other schemas wait too. */
        private static final long MIGRATION_LOCK = 0x4865_7261_6c64_4d31L;

        @Override
        String anyOf(String column) {
            return column + " = ANY(?)";
        }

        @Override
        void bindAnyOf(PreparedStatement statement, int index, Collection<String> values) throws SQLException {
            statement.setArray(index, statement.getConnection().createArrayOf("text", values.toArray()));
        }

        @Override
        void lockForMigration(Connection connection) throws SQLException {
            // the pool's idle-in-transaction limit would end a migration whose JVM is starved between two statements
            // (seen at load 20: the node then exited at its start); holding the lock a while longer harms no one
            try (Statement s = connection.createStatement()) {
                s.execute("SET LOCAL idle_in_transaction_session_timeout = 0");
            }
            try (PreparedStatement s = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                s.setLong(1, MIGRATION_LOCK);
                s.execute();
            }
        }
    };

    private final String name;

    Dialect(String name) {
        this.name = name;
    }

    /** The dialect of a JDBC URL, or empty for a database Herald cannot use. */
    static Optional<Dialect> ofUrl(String jdbcUrl) {
        for (Dialect d : values()) {
            if (jdbcUrl.startsWith("jdbc:" + d.name + ":")) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** The classpath folder of this dialect's migration scripts. */
    String migrationFolder() {
        return "db/migration/" + name;
    }

    /** The column is one of the values bound by {@link #bindAnyOf}: one parameter, however many values. */
    abstract String anyOf(String column);

    abstract void bindAnyOf(PreparedStatement statement, int index, Collection<String> values) throws SQLException;

    /** Holds, until the transaction ends, a lock that every other process migrating the same database waits for. */
    abstract void lockForMigration(Connection connection) throws SQLException;

    /** A JSON array of the strings, for SQLite's json_each. */
    private static String jsonArray(Collection<String> values) {
        StringWriter out = new StringWriter(24 * values.size() + 2);
        try (JsonGenerator g = StorageJson.generator(out)) {
            g.writeStartArray();
            for (String v : values) {
                g.writeString(v);
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return name;
    }
}
