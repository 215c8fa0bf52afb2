package dev.herald.core.arch;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The core knows no framework: its sources import nothing but the JDK and the core itself. */
class CoreDependenciesTest {
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?([\\w.]+)", Pattern.MULTILINE);

    @Test
    void coreImportsOnlyTheJdk() throws IOException {
        Path sources = Path.of("src/main/java");
        assertThat(sources).isDirectory();
        List<String> foreign;
        try (Stream<Path> files = Files.walk(sources)) {
            foreign = files.filter(p -> p.toString().endsWith(".java")).flatMap(CoreDependenciesTest::imports)
                    .filter(i -> !i.contains(": java.") && !i.contains(": dev.herald.core."))
                    .toList();
        }
        assertThat(foreign).as("imports from outside the JDK in herald-core").isEmpty();
    }

    private static Stream<String> imports(Path file) {
        try {
            Matcher m = IMPORT.matcher(Files.readString(file));
            Stream.Builder<String> out = Stream.builder();
            while (m.find()) {
                out.add(file.getFileName() + ": " + m.group(2));
            }
            return out.build();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
