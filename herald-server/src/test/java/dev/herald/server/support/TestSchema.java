package dev.herald.server.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** A schema of its own on the machine's PostgreSQL (database {@code test}) for one test's nodes, dropped after. */
public final class TestSchema {
    private static final String DATABASE = "jdbc:postgresql://127.0.0.1:5432/test";

    private final String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final String name;

    /** @param prefix names the test that owns the schema, to find it if a run leaves it behind */
    public TestSchema(String prefix) {
        this.name = prefix + suffix;
    }

    public String name() {
        return name;
    }

    /** Random, unique to this schema: for cluster and channel names that must not meet another test's. */
    public String suffix() {
        return suffix;
    }

    /** The store location of {@code herald serve --store}. */
    public String store() {
        return "postgresql://postgres@127.0.0.1:5432/test?schema=" + name;
    }

    public void drop() throws SQLException {
        try (Connection c = DriverManager.getConnection(DATABASE, "postgres", null);
             Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
        }
    }
}
