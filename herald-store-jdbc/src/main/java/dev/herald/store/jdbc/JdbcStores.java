package dev.herald.store.jdbc;

import dev.herald.core.port.JobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;

/** Opens the stores on SQLite or PostgreSQL, bringing the schema up to date first. */
public final class JdbcStores {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcStores.class);

    private JdbcStores() {
    }

    /**
     * Opens the job store at a location: a folder (SQLite file {@code herald.db} in it,
     * the folder created if missing), {@code sqlite:/path/file.db},
     * {@code jdbc:sqlite:...}, {@code postgresql://user:pass@host:port/db?...}
     * (or {@code postgres://}) or {@code jdbc:postgresql://...}. A PostgreSQL
     * location may add {@code schema=NAME}: the schema is created if missing and used.
     * Closing the store closes the database.
     *
     * @throws IllegalArgumentException if the location is none of these
     * @throws StoreException           if the database cannot be opened or migrated
     */
    public static JobStore open(String location) {
        return openDatabase(location).jobs();
    }

    /**
     * Opens the database at a location, as {@link #open} does, with every store over it.
     *
     * @throws IllegalArgumentException if the location is not one {@link #open} takes
     * @throws StoreException           if the database cannot be opened or migrated
     */
    public static JdbcDatabase openDatabase(String location) {
        JdbcLocation where = JdbcLocation.parse(location);
        Dialect dialect = where.dialect();
        Connections connections = connect(where, dialect);
        try {
            int applied = connections.transaction(c -> Migrations.apply(c, dialect));
            JdbcDatabase database = new JdbcDatabase(connections, where, dialect);
            LOG.info("Opened the {} store at {} (epoch {}, {} migrations applied)", dialect, where,
                    database.jobs().epoch(), applied);
            return database;
        } catch (SQLException e) {
            connections.close();
            throw new StoreException("could not migrate the store at " + where, e);
        } catch (RuntimeException e) {
            connections.close();
            throw e;
        }
    }

    private static Connections connect(JdbcLocation where, Dialect dialect) {
        try {
            return dialect == Dialect.SQLITE
                    ? SqliteConnections.open(where.jdbcUrl())
                    : PostgresConnections.open(where);
        } catch (SQLException e) {
            throw new StoreException("could not open the store at " + where, e);
        }
    }
}
