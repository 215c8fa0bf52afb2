package dev.herald.cli;

import org.junit.jupiter.api.Assumptions;
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
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The built {@code herald.jar} on the newest JDK of the machine (the code promises 17, 21 and 25): it starts, creates
 * and reads a job and answers its health check, and the JVM prints no warning (such as JDK 22+'s about the native
 * access of sqlite-jdbc). Runs in the integration-test phase, once the jar is packaged; skipped when no JDK newer than
 * 17 is installed under {@code /usr/lib/jvm}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NewestJdkSmokeIT {
    private static final Path JVMS = Path.of("/usr/lib/jvm");
    private static final Pattern LISTENING = Pattern.compile("Herald listening on (http://\\S+)");
    private static final Pattern RELEASE_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");
    private static final String TOKEN = "smoke-admin-token";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    record Jdk(Path home, int feature) {
    }

    @Test
    void theJarServesOnTheNewestJdkWithoutAWarning() throws Exception {
        Path jar = Path.of(System.getProperty("herald.jar", "target/herald.jar"));
        assertThat(jar).as("the packaged jar (mvn package -pl herald-cli)").exists();
        Jdk jdk = newestJdk().orElse(null);
        Assumptions.assumeTrue(jdk != null && jdk.feature() > 17, () -> "skipped: no JDK newer than 17 under " + JVMS
                + (jdk == null ? "" : " (the newest is " + jdk.home() + ")")
                + "; install one (e.g. temurin-25-jdk) to check the jar on it");

        Process herald = new ProcessBuilder(jdk.home().resolve("bin/java").toString(), "-jar", jar.toString(),
                "serve", "--port", "0", "--admin-token", TOKEN, "--data", dir.resolve("data").toString())
                .redirectOutput(dir.resolve("stdout").toFile()).redirectError(dir.resolve("stderr").toFile())
                .start();
        try {
            String url = awaitListening(herald);
            String created = send(url, "POST", "/api/v1/jobs", "{\"type\":\"smoke\",\"status\":\"running\"}", 201);
            Matcher id = Pattern.compile("\"id\":\"(j_[0-9A-Za-z]+)\"").matcher(created);
            assertThat(id.find()).as(created).isTrue();
            assertThat(send(url, "GET", "/api/v1/jobs/" + id.group(1), null, 200)).contains("\"type\":\"smoke\"");
            assertThat(send(url, "GET", "/health/ready", null, 200)).contains("ready");
        } finally {
            herald.destroy();
            assertThat(herald.waitFor(60, TimeUnit.SECONDS)).as("herald stopped on SIGTERM").isTrue();
        }
        List<String> warnings = Stream.concat(read("stderr").lines(), read("stdout").lines())
                .filter(l -> l.contains("WARNING")).toList();
        assertThat(warnings).as("what Java %d printed", jdk.feature()).isEmpty();
    }

    /** The JDK under /usr/lib/jvm with the highest feature version (read from its {@code release} file). */
    private static Optional<Jdk> newestJdk() throws IOException {
        if (!Files.isDirectory(JVMS)) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(JVMS)) {
            return homes.filter(h -> Files.isExecutable(h.resolve("bin/java")) && Files.isRegularFile(h.resolve("release")))
                    .map(h -> {
                        Matcher m = RELEASE_VERSION.matcher(readFile(h.resolve("release")));
                        return m.find() ? new Jdk(h, Integer.parseInt(m.group(1))) : null;
                    })
                    .filter(j -> j != null)
                    .max(Comparator.comparingInt(Jdk::feature));
        }
    }

    private String awaitListening(Process herald) {
        String[] url = new String[1];
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            assertThat(herald.isAlive()).as("herald serve is running; stderr:%n%s", read("stderr")).isTrue();
            Matcher m = LISTENING.matcher(read("stdout"));
            url[0] = m.find() ? m.group(1) : null;
            return url[0] != null;
        });
        return url[0];
    }

    private static String send(String url, String method, String path, String json, int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + TOKEN);
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = HTTP.send(request.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("%s %s: %s", method, path, r.body()).isEqualTo(expected);
        return r.body();
    }

    private String read(String file) {
        return readFile(dir.resolve(file));
    }

    private static String readFile(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
