package dev.herald.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.server.HeraldServer;
import dev.herald.server.ServerOptions;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import dev.herald.server.auth.AuthOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The server a benchmark talks to: a running one ({@code --url}, {@code --token}) or,
 * without {@code --url}, one started in this JVM on a free port with a fresh data
 * folder. Also owns the client-side Vert.x, separate from the embedded server's.
 *
 * <p>Benchmarks write and read with ordinary keys, as workers and pages do, never with the admin token, which
 * skips the key lookup and every limit: given the admin token (the embedded server's always is), the target
 * makes a write key of project {@value #PROJECT} for {@link #token} and read keys for {@link #readerToken()}.
 */
public final class Target implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    public final Vertx vertx;
    /** The client's one event loop: every request starts here (see {@link #send}). */
    public final Context context;
    public final String host;
    public final int port;
    /** An ordinary write key of project {@value #PROJECT}, or the given token when it is not the admin's. */
    public final String token;
    /** The admin token, or null when the given token is an ordinary one. */
    private final String admin;
    private final HeraldServer embedded;
    private final boolean flood;
    private final Path dataDir;

    static final String PROJECT = "bench";
    /**
     * For a benchmark whose one key floods as a whole fleet would (ingest, a tree of 10 000 children): the
     * embedded server's per-key write limits raised out of the way; the limiter still runs on every write.
     */
    static final AuthOptions FLOOD = AuthOptions.defaults().withWriteLimit(1e9, 1_000_000_000)
            .withEntryLimit(1e9, 1_000_000_000);

    private Target(Vertx vertx, String host, int port, String token, HeraldServer embedded, Path dataDir,
                   boolean flood) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.host = host;
        this.port = port;
        this.admin = isAdmin(host, port, token) ? token : null;
        this.token = admin == null ? token : key("write", "bench-writer");
        this.embedded = embedded;
        this.dataDir = dataDir;
        this.flood = flood;
    }

    public static Target open(String url, String token) throws IOException {
        return open(url, token, AuthOptions.defaults());
    }

    /**
     * @param auth the embedded server's credential limits (a flood from one key raises them and says so); a
     *             running server keeps its own
     */
    public static Target open(String url, String token, AuthOptions auth) throws IOException {
        // the embedded server's start-up INFO lines would only bury the figures (set before SLF4J starts)
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        if (url != null && token == null) {
            throw new IllegalArgumentException("--url needs --token (the admin token, from which the benchmark "
                    + "makes ordinary keys, or an ordinary write key of that server)");
        }
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        if (url != null) {
            URI uri = URI.create(url);
            return new Target(vertx, uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort(), token, null, null, false);
        }
        Path dir = Files.createTempDirectory("herald-bench-");
        String admin = "bench-" + UUID.randomUUID();
        HeraldServer server = HeraldServer.start(ServerOptions.defaults().withPort(0).withDataDir(dir)
                .withAdminToken(admin).withAuth(auth));
        return new Target(vertx, "127.0.0.1", server.port(), admin, server, dir, auth == FLOOD);
    }

    /** Whether {@code token} is the admin token: only it may list the keys. */
    private static boolean isAdmin(String host, int port, String token) {
        try {
            return java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://" + host + ":" + port + "/api/v1/keys"))
                    .header("Authorization", "Bearer " + token).build(), BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach the server at " + host + ":" + port, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A new key of project {@value #PROJECT} made with the admin token: its secret. */
    private String key(String scope, String name) {
        try {
            String body = "{\"project\":\"" + PROJECT + "\",\"scope\":\"" + scope + "\",\"name\":\"" + name + "\"}";
            var answer = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(url() + "/api/v1/keys")).header("Authorization", "Bearer " + admin)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(), BodyHandlers.ofString());
            if (answer.statusCode() != 201) {
                throw new IllegalStateException("creating a " + scope + " key: HTTP " + answer.statusCode() + ": "
                        + answer.body());
            }
            return JSON.readTree(answer.body()).get("token").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A fresh read key for a group of readers (viewers have credentials of their own; one key may hold only so
     * many streams), or the given token when no admin token was given.
     */
    public String readerToken() {
        return admin == null ? token : key("read", "bench-reader");
    }

    /** The admin token, for setup that needs it (another project, keys); fails when none was given. */
    public String adminToken() {
        if (admin == null) {
            throw new IllegalStateException("this benchmark needs the server's admin token (--token)");
        }
        return admin;
    }

    /** The server started in this JVM, or null for a running one ({@code --url}). */
    public HeraldServer embedded() {
        return embedded;
    }

    public String url() {
        return "http://" + host + ":" + port;
    }

    /** The newest value of a metric of the server's {@code /metrics} (summed over the lines whose labels contain {@code label}). */
    public double metric(String name, String label) throws IOException, InterruptedException {
        String metrics = java.net.http.HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url() + "/metrics")).build(), BodyHandlers.ofString()).body();
        double sum = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + "{") && line.contains(label)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** What was measured, for the report. */
    public String describe() {
        int cores = Runtime.getRuntime().availableProcessors();
        return (embedded != null
                ? "target: embedded server in this JVM at http://127.0.0.1:" + port + " (SQLite in " + dataDir
                  + "); client and server share the " + cores + " cores of this machine"
                  + (flood ? "; per-key write limits raised for this flood" : "")
                : "target: running server at http://" + host + ":" + port
                  + " (if it runs on this machine, client and server share its " + cores + " cores)")
                + (admin == null ? "; writing with the given token" : "; writing and reading with ordinary keys of"
                   + " project " + PROJECT + " (not the admin token)");
    }

    public RequestOptions request(HttpMethod method, String path) {
        return new RequestOptions().setMethod(method).setHost(host).setPort(port).setURI(path)
                .putHeader("Authorization", "Bearer " + token)
                .putHeader("Content-Type", "application/json");
    }

    /** Creates a running job and answers its id; blocks (setup only, never in a measured loop). */
    public String createRunningJob(HttpClient client, String type) throws Exception {
        String body = "{\"type\":\"" + type + "\",\"status\":\"running\",\"total\":1000000}";
        Buffer answer = send(client, request(HttpMethod.POST, "/api/v1/jobs"), Buffer.buffer(body), 201)
                .await(10, TimeUnit.SECONDS);
        JsonNode job = JSON.readTree(answer.getBytes());
        return job.get("id").asText();
    }

    /**
     * Sends a request and answers the response body when the status is {@code expect}, else a failure.
     * The request is made on the client's event loop, so the body handler is set in the same turn
     * as the response arrives: set later from another thread, a fast response could already have
     * ended and its body would never complete.
     */
    public Future<Buffer> send(HttpClient client, RequestOptions options, Buffer body, int expect) {
        if (Vertx.currentContext() == context) {
            return client.request(options).compose(req -> req.send(body).compose(resp -> resp.body().compose(
                    b -> resp.statusCode() == expect ? Future.succeededFuture(b)
                            : Future.failedFuture("HTTP " + resp.statusCode() + ": " + b))));
        }
        Promise<Buffer> answer = Promise.promise();
        context.runOnContext(v -> send(client, options, body, expect).onComplete(ar -> {
            if (ar.succeeded()) {
                answer.complete(ar.result());
            } else {
                answer.fail(ar.cause());
            }
        }));
        return answer.future();
    }

    @Override
    public void close() throws Exception {
        vertx.close().await(30, TimeUnit.SECONDS);
        if (embedded != null) {
            embedded.close();
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
