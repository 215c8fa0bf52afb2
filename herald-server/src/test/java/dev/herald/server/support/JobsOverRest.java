package dev.herald.server.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Changing jobs over REST with the admin token and reading {@code /metrics}, checking
 * each answer's status. Test packages extend it with helpers of their own, so their
 * tests call everything through one class name.
 */
public class JobsOverRest {
    public static final ObjectMapper JSON = new ObjectMapper();
    /** A bounded wait for something asynchronous; generous, never a performance claim. */
    public static final Duration WAIT = Duration.ofSeconds(15);

    protected JobsOverRest() {
    }

    public static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates a job from a JSON body; answers its id. */
    public static String createWith(TestServer server, String body) {
        HttpResponse<String> r = server.post("/api/v1/jobs", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return tree(r.body()).get("id").asText();
    }

    public static JsonNode job(TestServer server, String id) {
        HttpResponse<String> r = server.get("/api/v1/jobs/" + id);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return tree(r.body());
    }

    public static long version(TestServer server, String id) {
        return job(server, id).get("version").asLong();
    }

    /** Appends a log line; answers its seq. */
    public static long log(TestServer server, String id, String message) {
        ObjectNode body = JSON.createObjectNode().put("level", "info").put("message", message);
        HttpResponse<String> r = server.post("/api/v1/jobs/" + id + "/logs", body.toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return tree(r.body()).get("seq").asLong();
    }

    public static long progress(TestServer server, String id, String json) {
        HttpResponse<String> r = server.post("/api/v1/jobs/" + id + "/progress", json);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return tree(r.body()).get("version").asLong();
    }

    public static JsonNode action(TestServer server, String id, String action, String body) {
        HttpResponse<String> r = server.post("/api/v1/jobs/" + id + "/" + action, body);
        assertThat(r.statusCode()).as(action + ": " + r.body()).isEqualTo(200);
        return tree(r.body());
    }

    /** The first sample of {@code /metrics} named {@code name}, whatever its labels. */
    public static double metric(TestServer server, String name) {
        return metric(server, name, null);
    }

    /**
     * A sample of {@code /metrics}: the line whose name is {@code name} and whose labels
     * contain {@code label} (e.g. {@code transport="websocket"}), or any labels when null.
     */
    public static double metric(TestServer server, String name, String label) {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/metrics")).GET().build());
        assertThat(r.statusCode()).isEqualTo(200);
        return sample(r.body(), name, label);
    }

    /** Like {@link #metric(TestServer, String, String)}, in the text of a {@code /metrics} answer. */
    public static double sample(String metrics, String name, String label) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith("#")) {
                continue;
            }
            boolean plain = line.startsWith(name + " ");
            boolean labelled = line.startsWith(name + "{") && (label == null || line.contains(label));
            if (plain && label == null || labelled) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return fail("no metric " + name + (label == null ? "" : "{" + label + "}") + " in /metrics:\n" + metrics);
    }

    public static double subscriptions(TestServer server) {
        return metric(server, "herald_subscriptions");
    }

    /**
     * Posts {@code lines} log lines from 4 threads, then 500 more at a time while the
     * server still holds at least {@code stalledHeld} subscriptions (the stalled reader
     * not cut off yet), up to {@code max}. Messages are near the 2 KiB limit so buffers
     * fill fast. Answers how many were posted.
     */
    public static int postLogs(TestServer server, String id, int lines, int max, double stalledHeld)
            throws Exception {
        String padding = "p".repeat(1990);
        int threads = 4;
        int posted = 0;
        while (posted < lines || (posted < max && subscriptions(server) >= stalledHeld)) {
            int from = posted;
            int chunk = posted < lines ? lines : 500;
            ExecutorService producers = Executors.newFixedThreadPool(threads);
            try {
                List<CompletableFuture<Void>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    done.add(CompletableFuture.runAsync(() -> {
                        for (int i = thread; i < chunk; i += threads) {
                            log(server, id, "line " + (from + i) + " " + padding);
                        }
                    }, producers));
                }
                for (CompletableFuture<Void> f : done) {
                    f.get(120, TimeUnit.SECONDS);
                }
            } finally {
                producers.shutdownNow();
            }
            posted += chunk;
        }
        return posted;
    }
}
