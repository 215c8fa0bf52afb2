package dev.herald.cluster;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

/** A PostgreSQL database of its own on the machine's server, created empty and dropped (with its sessions) on close. */
final class TestDatabase implements AutoCloseable {
    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    private static final String USER = "postgres";

    private final String name;

    private TestDatabase(String name) {
        this.name = name;
    }

    static TestDatabase create() {
        TestDatabase db = new TestDatabase("herald_it_" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36));
        db.run("CREATE DATABASE " + db.name);
        return db;
    }

    /** The database as {@code herald serve --store} takes it. */
    String storeUrl() {
        return "postgresql://" + USER + "@127.0.0.1:5432/" + name;
    }

    /** The single number a query answers, e.g. a count. */
    long number(String sql) {
        try (Connection c = DriverManager.getConnection(SERVER + name, USER, ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        // FORCE: a node killed with SIGKILL may leave sessions PostgreSQL has not noticed yet
        run("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private void run(String sql) {
        try (Connection c = DriverManager.getConnection(SERVER + "postgres", USER, ""); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
