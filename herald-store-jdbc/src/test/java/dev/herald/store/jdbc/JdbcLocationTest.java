package dev.herald.store.jdbc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JdbcLocationTest {
    @TempDir
    Path temp;

    @Test
    void aFolderHoldsTheSqliteFileAndIsCreated() {
        Path folder = temp.resolve("var/herald");
        JdbcLocation where = JdbcLocation.parse(folder.toString());
        assertThat(where.dialect()).isEqualTo(Dialect.SQLITE);
        assertThat(where.jdbcUrl()).isEqualTo("jdbc:sqlite:" + folder.toAbsolutePath().resolve("herald.db"));
        assertThat(folder).isDirectory();
    }

    @Test
    void aFileIsNotTakenForAFolder() throws IOException {
        Path file = Files.createFile(temp.resolve("herald.db"));
        assertThatThrownBy(() -> JdbcLocation.parse(file.toString())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sqlite:" + file);
    }

    @Test
    void sqliteFilesAreNamedWithOrWithoutJdbc() {
        Path file = temp.resolve("nested/jobs.db");
        assertThat(JdbcLocation.parse("sqlite:" + file).jdbcUrl()).isEqualTo("jdbc:sqlite:" + file);
        assertThat(file.getParent()).isDirectory();
        JdbcLocation jdbc = JdbcLocation.parse("jdbc:sqlite:" + file);
        assertThat(jdbc.jdbcUrl()).isEqualTo("jdbc:sqlite:" + file);
        assertThat(jdbc.dialect()).isEqualTo(Dialect.SQLITE);
    }

    @Test
    void aPostgresUrlGivesItsCredentialsAndSchemaApart() {
        JdbcLocation where = JdbcLocation.parse(
                "postgresql://herald:p%40ss%3Aw0rd+x@db.internal:6432/jobs?sslmode=require&schema=tenant_1");
        assertThat(where.dialect()).isEqualTo(Dialect.POSTGRESQL);
        assertThat(where.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6432/jobs?sslmode=require");
        assertThat(where.user()).isEqualTo("herald");
        assertThat(where.password()).isEqualTo("p@ss:w0rd+x");
        assertThat(where.schema()).isEqualTo("tenant_1");
        assertThat(where.toString()).doesNotContain("w0rd");
    }

    @Test
    void postgresUrlsComeInThreeSpellings() {
        JdbcLocation shortForm = JdbcLocation.parse("postgres://127.0.0.1/test");
        assertThat(shortForm.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1/test");
        assertThat(shortForm.user()).isNull();
        assertThat(shortForm.schema()).isNull();

        JdbcLocation jdbc = JdbcLocation.parse("jdbc:postgresql://h:5432/db?user=u&password=secret&schema=s1");
        assertThat(jdbc.dialect()).isEqualTo(Dialect.POSTGRESQL);
        assertThat(jdbc.jdbcUrl()).isEqualTo("jdbc:postgresql://h:5432/db?user=u&password=secret");
        assertThat(jdbc.schema()).isEqualTo("s1");
        assertThat(jdbc.toString()).doesNotContain("secret");
    }

    @Test
    void hostsAreTakenAsTheDriverKnowsThem() {
        assertThat(JdbcLocation.parse("postgres://u@herald_db:5432/jobs").jdbcUrl())
                .isEqualTo("jdbc:postgresql://herald_db:5432/jobs");
        assertThat(JdbcLocation.parse("postgresql://u:p@pg-1:5432,pg-2:5433/jobs?targetServerType=primary").jdbcUrl())
                .isEqualTo("jdbc:postgresql://pg-1:5432,pg-2:5433/jobs?targetServerType=primary");
        assertThat(JdbcLocation.parse("postgresql://[::1]:5432/jobs").jdbcUrl())
                .isEqualTo("jdbc:postgresql://[::1]:5432/jobs");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "mysql://h/db", "jdbc:mysql://h/db", "redis://localhost:6379",
            "postgresql://hostonly", "postgresql:///db", "postgresql://h/db?schema=Bad-Name", "postgres://h:x/db",
            "sqlite::memory:", "jdbc:sqlite::memory:", "jdbc:sqlite:file:x?mode=memory"})
    void anythingElseIsRefusedClearly(String location) {
        assertThatThrownBy(() -> JdbcLocation.parse(location)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("null");
    }

    @Test
    void noLocationIsRefused() {
        assertThatThrownBy(() -> JdbcLocation.parse(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("postgresql://");
    }
}
