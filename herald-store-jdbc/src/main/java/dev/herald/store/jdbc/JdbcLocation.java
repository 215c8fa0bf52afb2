package dev.herald.store.jdbc;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A store location as an operator writes it, turned into what JDBC needs. The
 * password is kept out of {@link #jdbcUrl} and {@link #toString} so neither can leak it into a log.
 *
 * @param schema the PostgreSQL schema to create and use, or null for the default
 */
record JdbcLocation(String jdbcUrl, String user, String password, String schema) {
    static final String SQLITE_FILE = "herald.db";
    private static final String FORMS = "expected a folder, sqlite:/path/file.db, jdbc:sqlite:..., "
            + "postgresql://user:pass@host:5432/db (or postgres://) or jdbc:postgresql://...";
    /** Two letters at least, so a Windows drive (C:\data) reads as a folder. */
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+:");
    /** One host or several (the driver fails over between them), each with an optional port. */
    private static final String HOST = "(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._-]+)(:\\d{1,5})?";
    private static final Pattern HOSTS = Pattern.compile(HOST + "(," + HOST + ")*");
    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    static JdbcLocation parse(String location) {
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("a store location is required: " + FORMS);
        }
        String text = location.strip();
        if (text.startsWith("jdbc:sqlite:")) {
            return sqlite(text.substring("jdbc:sqlite:".length()));
        }
        if (text.startsWith("sqlite:")) {
            return sqlite(text.substring("sqlite:".length()));
        }
        if (text.startsWith("postgresql://") || text.startsWith("postgres://")) {
            return postgresUri(text);
        }
        if (text.startsWith("jdbc:postgresql:")) {
            int q = text.indexOf('?');
            Options options = Options.parse(q < 0 ? null : text.substring(q + 1));
            String base = q < 0 ? text : text.substring(0, q);
            return postgres(base + options.suffix(), null, null, options.schema());
        }
        if (SCHEME.matcher(text).lookingAt()) {
            throw new IllegalArgumentException("unsupported store location '" + redact(text) + "': " + FORMS);
        }
        return folder(Path.of(text));
    }

    private static JdbcLocation folder(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(
                    "'" + dir + "' is a file, not a folder; to use it as the database say sqlite:" + dir);
        }
        createFolder(dir);
        return new JdbcLocation("jdbc:sqlite:" + dir.toAbsolutePath().resolve(SQLITE_FILE), null, null, null);
    }

    private static JdbcLocation sqlite(String file) {
        String path = file.contains("?") ? file.substring(0, file.indexOf('?')) : file;
        if (path.isBlank() || path.contains(":memory:") || file.contains("mode=memory")) {
            throw new IllegalArgumentException("'" + file + "' is not a SQLite file: the store's connections must "
                    + "share one database, which an in-memory one cannot");
        }
        Path parent = path.startsWith("file:") ? null : Path.of(path).toAbsolutePath().getParent();
        if (parent != null) {
            createFolder(parent);
        }
        return new JdbcLocation("jdbc:sqlite:" + file, null, null, null);
    }

    private static JdbcLocation postgresUri(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                    "'" + redact(text) + "' is not a valid PostgreSQL URL: " + e.getReason());
        }
        // The authority is split by hand: java.net.URI gives no host for names with "_" or for several hosts.
        String authority = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
        int at = authority.lastIndexOf('@');
        String hosts = authority.substring(at + 1);
        String db = uri.getRawPath() == null ? "" : uri.getRawPath().replaceFirst("^/", "");
        if (!HOSTS.matcher(hosts).matches() || db.isEmpty()) {
            throw new IllegalArgumentException("'" + redact(text) + "' needs a host and a database: "
                    + "postgresql://user:pass@host:5432/db");
        }
        String user = null;
        String password = null;
        if (at >= 0) {
            String[] parts = authority.substring(0, at).split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : null;
        }
        Options options = Options.parse(uri.getRawQuery());
        return postgres("jdbc:postgresql://" + hosts + "/" + db + options.suffix(), user, password, options.schema());
    }

    private static JdbcLocation postgres(String jdbcUrl, String user, String password, String schema) {
        if (schema != null && !SCHEMA_NAME.matcher(schema).matches()) {
            throw new IllegalArgumentException("schema '" + schema + "' must be lowercase letters, digits and _");
        }
        return new JdbcLocation(jdbcUrl, user, password, schema);
    }

    private static void createFolder(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StoreException("could not create the data folder " + dir, e);
        }
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String redact(String text) {
        return text.replaceAll("(?i)(password=)[^&]*", "$1***").replaceAll("//([^:/@]*):[^@/]*@", "//$1:***@");
    }

    /** Detected from the URL: every form {@link #parse} accepts names a database Herald speaks to. */
    Dialect dialect() {
        return Dialect.ofUrl(jdbcUrl).orElseThrow();
    }

    @Override
    public String toString() {
        return redact(jdbcUrl) + (user == null ? "" : " as " + user) + (schema == null ? "" : ", schema " + schema);
    }

    /** A URL's query with Herald's own {@code schema} option taken out; the rest is for the driver. */
    private record Options(String schema, String suffix) {
        static Options parse(String query) {
            if (query == null || query.isEmpty()) {
                return new Options(null, "");
            }
            String schema = null;
            List<String> rest = new ArrayList<>();
            for (String pair : query.split("&")) {
                if (pair.startsWith("schema=")) {
                    schema = decode(pair.substring("schema=".length()));
                } else if (!pair.isEmpty()) {
                    rest.add(pair);
                }
            }
            return new Options(schema, rest.isEmpty() ? "" : "?" + String.join("&", rest));
        }
    }
}
