package dev.herald.store.jdbc;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the store keeps owes nothing to the API's JSON: no source of the store
 * mentions herald-json, so a change to the API's field names cannot reach the
 * database (formatOneIsPinned in StoredJobTest and StoredEventTest holds the rest).
 */
class StorageFormatIndependenceTest {

    @Test
    void noSourceOfTheStoreUsesHeraldJson() throws IOException {
        Path sources = Path.of("src/main/java");
        assertThat(sources).isDirectory();
        List<Path> users;
        try (Stream<Path> files = Files.walk(sources)) {
            users = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> read(p).contains("dev.herald.json")).toList();
        }
        assertThat(users).as("sources of herald-store-jdbc that use herald-json").isEmpty();
    }

    @Test
    void heraldJsonIsNotADependency() throws IOException {
        assertThat(read(Path.of("pom.xml"))).doesNotContain("<artifactId>herald-json</artifactId>");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
