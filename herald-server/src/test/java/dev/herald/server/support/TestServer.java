package dev.herald.server.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.server.HeraldServer;
import dev.herald.server.ServerOptions;
import dev.herald.server.cluster.ClusterOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/** A real Herald server on a free port with its own temporary data folder, and an HTTP client for it. */
public final class TestServer implements AutoCloseable {
    public static final String TOKEN = "test-admin-token";

    private final Path dataDir;
    private final boolean ownsDataDir;
    private final HeraldServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestServer(Path dataDir, boolean ownsDataDir, UnaryOperator<ServerOptions> tweak) {
        this(dataDir, ownsDataDir, tweak, null);
    }

    private TestServer(Path dataDir, boolean ownsDataDir, UnaryOperator<ServerOptions> tweak, ClusterOptions cluster) {
        this.dataDir = dataDir;
        this.ownsDataDir = ownsDataDir;
        ServerOptions options = ServerOptions.defaults().withPort(0).withDataDir(dataDir).withAdminToken(TOKEN);
        this.server = HeraldServer.start(tweak.apply(options), cluster);
    }

    /** A server as a node of a cluster; {@code tweak} gives it the cluster's PostgreSQL store. */
    public static TestServer inCluster(ClusterOptions cluster, UnaryOperator<ServerOptions> tweak) {
        try {
            return new TestServer(Files.createTempDirectory("herald-test"), true, tweak, cluster);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TestServer start() {
        return start(o -> o);
    }

    public static TestServer start(UnaryOperator<ServerOptions> tweak) {
        try {
            return new TestServer(Files.createTempDirectory("herald-test"), true, tweak);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A server whose wall time is {@code clock} (a {@link dev.herald.core.time.SettableClock}): tests move time instead of waiting. */
    public static TestServer onClock(Clock clock, UnaryOperator<ServerOptions> tweak) {
        return start(o -> tweak.apply(o.withClock(clock)));
    }

    /** A server on an existing data folder (for restarts); the caller deletes the folder. */
    public static TestServer startOn(Path dataDir) {
        return startOn(dataDir, 0);
    }

    /** A server on an existing data folder with these options (a clock, say); the caller deletes the folder. */
    public static TestServer startOn(Path dataDir, UnaryOperator<ServerOptions> tweak) {
        return new TestServer(dataDir, false, tweak);
    }

    /** A server on an existing data folder and a given port (0 for a free one): the same server started again. */
    public static TestServer startOn(Path dataDir, int port) {
        return new TestServer(dataDir, false, o -> o.withPort(port));
    }

    public HeraldServer server() {
        return server;
    }

    public Path dataDir() {
        return dataDir;
    }

    public String baseUrl() {
        return server.baseUrl();
    }

    public URI uri(String pathAndQuery) {
        return URI.create(baseUrl() + pathAndQuery);
    }

    public HttpClient client() {
        return http;
    }

    /** A request with the admin token. */
    public HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(70))
                .header("Authorization", "Bearer " + TOKEN);
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> get(String pathAndQuery) {
        return send(request(pathAndQuery).GET().build());
    }

    public HttpResponse<String> post(String pathAndQuery, String json) {
        return send(request(pathAndQuery).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** A new API key's token, made with the admin token: {@code scope} on {@code project}. */
    public String newKey(String project, String scope) {
        HttpResponse<String> created = post("/api/v1/keys",
                "{\"project\":\"" + project + "\",\"scope\":\"" + scope + "\"}");
        if (created.statusCode() != 201) {
            throw new IllegalStateException("key not created: " + created.statusCode() + " " + created.body());
        }
        try {
            return new ObjectMapper().readTree(created.body()).get("token").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.close();
        if (ownsDataDir) {
            deleteRecursively(dataDir);
        }
    }

    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
