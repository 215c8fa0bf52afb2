package dev.herald.store.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** One versioned SQL file, {@code V<n>__<description>.sql}, from a dialect's classpath folder. */
record MigrationScript(int version, String description, String sql) {
    private static final Pattern NAME = Pattern.compile("V(\\d+)__(\\w+)\\.sql");

    /** The dialect's scripts in version order. */
    static List<MigrationScript> of(Dialect dialect) {
        String folder = dialect.migrationFolder();
        return fileNames(folder).stream()
                .map(NAME::matcher)
                .filter(Matcher::matches)
                .map(m -> new MigrationScript(Integer.parseInt(m.group(1)), m.group(2), read(folder + "/" + m.group())))
                .sorted(Comparator.comparingInt(MigrationScript::version))
                .toList();
    }

    /** The statements, split at a {@code ;} that ends a line; comment lines are left out. */
    List<String> statements() {
        String code = sql.lines().filter(l -> !l.strip().startsWith("--")).collect(Collectors.joining("\n"));
        return Arrays.stream(code.split(";\\s*(\\n|$)")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * Lists the folder where this class was loaded from, a directory or a jar: a
     * class loader cannot list a folder, and a shaded jar may have no entry for it.
     */
    private static List<String> fileNames(String folder) {
        try {
            Path origin = Path.of(MigrationScript.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(origin)) {
                try (Stream<Path> files = Files.list(origin.resolve(folder))) {
                    return files.map(f -> f.getFileName().toString()).toList();
                }
            }
            try (ZipFile jar = new ZipFile(origin.toFile())) {
                String prefix = folder + "/";
                return jar.stream().map(ZipEntry::getName)
                        .filter(n -> n.startsWith(prefix) && n.length() > prefix.length())
                        .map(n -> n.substring(prefix.length()))
                        .toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not list the migration scripts in " + folder, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("could not locate the migration scripts in " + folder, e);
        }
    }

    private static String read(String resource) {
        try (InputStream in = MigrationScript.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("migration script " + resource + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the migration script " + resource, e);
        }
    }
}
