package dev.herald.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * {@code herald serve --log-level/--log-format} in a process of its own, on the machine's PostgreSQL so that the
 * test can pull the store away and make the engine log an error: every library's lines follow the flags.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LogOutputTest {
    private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    private static final String TOKEN = "log-test-admin-token";
    private static final Pattern LISTENING = Pattern.compile("Herald listening on (http://\\S+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;
    private final String schema = "herald_logs_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private Process herald;

    @AfterEach
    void stop() {
        if (herald != null) {
            herald.destroyForcibly();
        }
        sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    @Test
    void withJsonEveryLineIsAnObjectWhetherTheCoreTheServerTheDriverVertxOrNettyWroteIt() throws Exception {
        String url = start(Map.of(), "--log-format", "json", "--log-level", "debug");
        createKey(url);
        breakTheStoreAndCreateAJob(url);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : stopAndReadStderr()) {
            JsonNode n = JSON.readTree(line);
            for (String field : List.of("time", "level", "logger", "thread", "message")) {
                assertThat(n.path(field).isTextual()).as("%s in %s", field, line).isTrue();
            }
            lines.add(n);
        }
        assertThat(lines).as("the engine's error, with its stack").anyMatch(n -> logger(n, "dev.herald.core.")
                && n.get("level").asText().equals("ERROR") && n.path("stack").asText().contains("\tat "));
        assertThat(lines).as("the server (SLF4J)").anyMatch(n -> logger(n, "dev.herald.server.auth.ApiKeys")
                && n.get("message").asText().startsWith("Created API key"));
        assertThat(lines).as("the store (SLF4J)").anyMatch(n -> logger(n, "dev.herald.store."));
        assertThat(lines).as("the PostgreSQL driver (java.util.logging)").anyMatch(n -> logger(n, "org.postgresql."));
        assertThat(lines).as("Vert.x").anyMatch(n -> logger(n, "io.vertx."));
        assertThat(lines).as("Netty").anyMatch(n -> logger(n, "io.netty."));
        assertThat(lines).as("debug lines, as asked").anyMatch(n -> n.get("level").asText().equals("DEBUG"));
    }

    @Test
    void atWarnFromTheEnvironmentInfoLinesAreLeftOutAndErrorsStayInTheConfigFilesFormat() throws Exception {
        Path config = Files.writeString(dir.resolve("herald.properties"), "log-format=json\n");
        String url = start(Map.of("HERALD_LOG_LEVEL", "warn"), "--config", config.toString());
        createKey(url);
        breakTheStoreAndCreateAJob(url);
        List<String> lines = stopAndReadStderr();
        assertThat(lines).as("the engine's error is still there").anyMatch(l -> l.contains("\"level\":\"ERROR\"")
                && l.contains("\"logger\":\"dev.herald.core."));
        assertThat(lines).as("no info or debug lines").allMatch(l -> l.startsWith("{")
                && (l.contains("\"level\":\"WARN\"") || l.contains("\"level\":\"ERROR\"")));
    }

    private static boolean logger(JsonNode line, String prefix) {
        return line.get("logger").asText().startsWith(prefix);
    }

    /** Starts {@code herald serve} on the test's schema, with nothing from this process's HERALD_* variables. */
    private String start(Map<String, String> env, String... flags) throws IOException {
        sql("SELECT 1");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                HeraldCli.class.getName(), "serve", "--port", "0", "--admin-token", TOKEN,
                "--store", POSTGRES + "&schema=" + schema));
        command.addAll(List.of(flags));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(dir.resolve("stdout").toFile()).redirectError(dir.resolve("stderr").toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("HERALD_"));
        builder.environment().putAll(env);
        herald = builder.start();
        String[] url = new String[1];
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            assertThat(herald.isAlive()).as("herald serve is running; stderr:%n%s", read("stderr")).isTrue();
            Matcher m = LISTENING.matcher(read("stdout"));
            url[0] = m.find() ? m.group(1) : null;
            return url[0] != null;
        });
        return url[0];
    }

    private static void createKey(String url) {
        assertThat(post(url, "/api/v1/keys", "{\"project\":\"logs\",\"scope\":\"read\"}").statusCode()).isEqualTo(201);
    }

    /** With the schema gone, the store refuses the write, and the engine logs why. */
    private void breakTheStoreAndCreateAJob(String url) {
        sql("DROP SCHEMA " + schema + " CASCADE");
        assertThat(post(url, "/api/v1/jobs", "{\"type\":\"lost\"}").statusCode()).isEqualTo(503);
    }

    /** Stops the server as SIGTERM does; every line it wrote to standard error. */
    private List<String> stopAndReadStderr() throws InterruptedException {
        herald.destroy();
        assertThat(herald.waitFor(60, TimeUnit.SECONDS)).as("herald stopped on SIGTERM").isTrue();
        List<String> lines = read("stderr").lines().filter(Predicate.not(String::isBlank)).toList();
        assertThat(lines).isNotEmpty();
        return lines;
    }

    private static HttpResponse<String> post(String url, String path, String json) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String read(String file) {
        try {
            return Files.readString(dir.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sql(String statement) {
        try (Connection c = DriverManager.getConnection(POSTGRES); Statement s = c.createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            fail("PostgreSQL at " + POSTGRES + " is needed: " + e.getMessage() + "\nStart it with: "
                    + "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start", e);
        }
    }
}
