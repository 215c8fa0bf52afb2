package dev.herald.store.jdbc;

import dev.herald.core.port.JobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MigrationsTest {
    @TempDir
    Path folder;

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void eachDialectHasItsScriptsInVersionOrder(Dialect dialect) {
        List<MigrationScript> scripts = MigrationScript.of(dialect);
        assertThat(scripts).isNotEmpty();
        assertThat(scripts.get(0).version()).isEqualTo(1);
        assertThat(scripts.get(0).description()).isEqualTo("jobs");
        assertThat(scripts).extracting(MigrationScript::version).isSorted().doesNotHaveDuplicates();
        assertThat(scripts.get(0).statements())
                .allSatisfy(sql -> assertThat(sql).doesNotContain(";").doesNotStartWith("--"))
                .anySatisfy(sql -> assertThat(sql).startsWith("CREATE TABLE jobs"));
    }

    @Test
    void openingTwiceAppliesNothingTwice() throws SQLException {
        String first;
        try (JobStore store = JdbcStores.open(folder.toString())) {
            first = store.epoch();
        }
        try (JobStore store = JdbcStores.open(folder.toString())) {
            assertThat(store.epoch()).isEqualTo(first);
        }
        try (SqliteConnections connections = SqliteConnections.open(JdbcLocation.parse(folder.toString()).jdbcUrl())) {
            int applied = connections.transaction(c -> Migrations.apply(c, Dialect.SQLITE));
            assertThat(applied).isZero();
            List<Integer> recorded = connections.read(MigrationsTest::recordedVersions);
            assertThat(recorded).containsExactlyElementsOf(
                    MigrationScript.of(Dialect.SQLITE).stream().map(MigrationScript::version).toList());
        }
    }

    @Test
    void v10KeepsTheIndexesOfTheTablesItRebuilds() throws SQLException {
        try (SqliteConnections connections = SqliteConnections.open(JdbcLocation.parse(folder.toString()).jdbcUrl())) {
            List<String> before = connections.transaction(c -> {
                Migrations.apply(c, Dialect.SQLITE, 9);
                return indexes(c);
            });
            List<String> after = connections.transaction(c -> {
                Migrations.apply(c, Dialect.SQLITE);
                return indexes(c);
            });
            assertThat(before).contains("jobs_unfinished", "events_job_position");
            assertThat(after).containsAll(before);
        }
    }

    /** The indexes of jobs and events that a migration made (not those SQLite makes for a UNIQUE). */
    private static List<String> indexes(Connection c) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'index' "
                     + "AND tbl_name IN ('jobs', 'events') AND sql IS NOT NULL ORDER BY name")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    static List<Integer> recordedVersions(Connection c) throws SQLException {
        List<Integer> versions = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version FROM herald_schema_version ORDER BY version")) {
            while (rs.next()) {
                versions.add(rs.getInt(1));
            }
        }
        return versions;
    }
}
