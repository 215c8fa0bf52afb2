package dev.herald.server.support;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * Servers in JVMs of their own ({@link ServerProcess}), started on a data folder or a store location and killed
 * with SIGKILL ({@code destroyForcibly}), for crash tests; {@link #close} kills what is left and deletes the folders.
 */
public final class KilledServers implements AutoCloseable {
    public static final String TOKEN = "durability-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A running server process and its base URL. */
    public record Server(Process process, String base) {
    }

    private final HttpClient http;
    private final List<Process> processes = new ArrayList<>();
    private final List<Path> folders = new ArrayList<>();

    public KilledServers(HttpClient http) {
        this.http = http;
    }

    /** A fresh folder for a server's data (or its log, with a store elsewhere), deleted on close. */
    public Path dataFolder() throws IOException {
        Path root = Files.createTempDirectory("herald-durability");
        folders.add(root);
        return root.resolve("data");
    }

    /** Starts a server on the data folder, or on {@code store} when not null, and waits until it is ready. */
    public Server launch(Path data, String store) throws Exception {
        return launch(data, store, null);
    }

    /** {@link #launch(Path, String)} as a node of the cluster of this name on {@code store}, when not null. */
    public Server launch(Path data, String store, String cluster) throws Exception {
        int port = freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = Files.createTempFile(data.getParent(), "herald-server", ".log");
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                ServerProcess.class.getName(), Integer.toString(port), data.toString(), TOKEN));
        if (store != null) {
            command.add(store);
        }
        if (cluster != null) {
            command.add(cluster);
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("HERALD_"));
        Process process = pb.start();
        processes.add(process);
        String base = "http://127.0.0.1:" + port;
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                if (!process.isAlive()) {
                    throw new AssertionError("the server exited with " + process.exitValue() + ": "
                            + Files.readString(log));
                }
                try {
                    return http.send(HttpRequest.newBuilder(URI.create(base + "/health/ready"))
                            .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString())
                            .statusCode() == 200;
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (RuntimeException | AssertionError e) {
            throw new AssertionError("server did not become ready; its output: " + Files.readString(log), e);
        }
        return new Server(process, base);
    }

    public static void kill(Server s) throws InterruptedException {
        s.process().destroyForcibly();
        s.process().waitFor();
    }

    public HttpResponse<String> get(Server s, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(s.base() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(Server s, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(s.base() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Returns once the progress accepted before the call is in the store. Progress is written behind, by the next
     * flush after it was marked dirty; that flush may already have happened, and with nothing dirty no other would
     * come, so a job of its own keeps reporting meanwhile. Creating that job is a write answered only once done:
     * every store write counted after it began after the progress was accepted, and nothing but flushes writes here.
     */
    public void awaitWriteBehind(Server s) throws Exception {
        String ticker = JSON.readTree(post(s, "/api/v1/jobs", "{\"type\":\"ticker\",\"status\":\"running\"}")
                .body()).get("id").asText();
        double writes = storeWrites(s);
        int[] tick = {0};
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
            post(s, "/api/v1/jobs/" + ticker + "/progress", "{\"current\":" + ++tick[0] + "}");
            return storeWrites(s) > writes;
        });
    }

    private double storeWrites(Server s) throws Exception {
        HttpResponse<String> r = get(s, "/metrics");
        if (r.statusCode() != 200) {
            throw new AssertionError("GET /metrics answered " + r.statusCode());
        }
        return JobsOverRest.sample(r.body(), "herald_store_flush_seconds_count", null);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor();
        }
        for (Path dir : folders) {
            TestServer.deleteRecursively(dir);
        }
    }
}
