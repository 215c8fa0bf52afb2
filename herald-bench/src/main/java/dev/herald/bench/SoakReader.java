package dev.herald.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * One SSE reader of {@link ClusterSoak}: a job's subtree ({@code ?descendants=true}) on a random node, on a thread
 * of its own; when its node dies it reconnects to another random node with its last cursor ({@code
 * Last-Event-ID}). It keeps what it saw: log lines, status changes, the jobs it heard of, and any version that went
 * back (API §3: an event already had may come again, with its version: dropped as the SDK does).
 */
final class SoakReader implements AutoCloseable {
    private final SoakCalls calls;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String token;
    private final String root;
    private final Thread thread;
    final CompletableFuture<Void> subscribed = new CompletableFuture<>();
    /** Guarded by this. */
    private final Set<String> seen = new HashSet<>();
    private final Set<String> jobs = new HashSet<>();
    private final Map<String, Long> version = new HashMap<>();
    private final Map<String, Long> stateVersion = new HashMap<>();
    private final List<String> violations = new ArrayList<>();
    /** Snapshots at a version below a state held, of a state the reader had had: API §3 lets them come again. */
    private int staleSnapshots;
    private volatile boolean closed;
    private volatile String cursor;
    private volatile int connections;

    SoakReader(SoakCalls calls, String token, String root) {
        this.calls = calls;
        this.token = token;
        this.root = root;
        this.thread = new Thread(this::run, "soak-reader-" + root);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (!closed) {
            ClusterNodes.Node node = calls.randomNode();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.url() + "/api/v1/jobs/" + root
                    + "/events?descendants=true")).header("Authorization", "Bearer " + token);
            if (cursor != null) {
                request.header("Last-Event-ID", cursor);
            }
            try {
                HttpResponse<Stream<String>> answer = http.send(request.build(),
                        HttpResponse.BodyHandlers.ofLines());
                if (answer.statusCode() == 200) {
                    connections++;
                    read(answer.body());
                }
            } catch (IOException | RuntimeException e) {
                // the node died under the stream, or is down: another one, with the cursor
            } catch (InterruptedException e) {
                return;
            }
            if (!closed) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void read(Stream<String> lines) {
        String[] id = {null};
        String[] event = {null};
        try (lines) {
            lines.takeWhile(line -> !closed).forEach(line -> {
                if (line.startsWith("id:")) {
                    id[0] = line.substring(3).trim();
                } else if (line.startsWith("event:")) {
                    event[0] = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    seen(event[0], parse(line.substring(5).trim()));
                    if (id[0] != null) {
                        cursor = id[0];
                    }
                    id[0] = null;
                }
            });
        }
    }

    private synchronized void seen(String type, JsonNode data) {
        String job = data.path("jobId").asText();
        long v = data.path("version").asLong();
        jobs.add(job);
        if ("snapshot".equals(type)) {
            if (job.equals(root)) {
                subscribed.complete(null);
            }
            if (v < stateVersion.getOrDefault(job, 0L)) {
                if (seen.contains("state " + job + " " + v)) {
                    staleSnapshots++;
                } else {
                    violations.add("snapshot of " + job + " at version " + v + ", never seen before, after a state"
                            + " at " + stateVersion.get(job));
                }
            }
            seen.add("state " + job + " " + v);
            return;
        }
        String detail = "log".equals(type) ? data.at("/log/message").asText() : data.path("to").asText();
        if (!seen.add(type + " " + job + " " + v + " " + detail)) {
            return; // had already: replayed after a reconnect
        }
        if ("log".equals(type)) {
            seen.add("log " + job + " " + detail);
        } else if ("status".equals(type)) {
            seen.add("status " + job + " " + detail);
        }
        if (v < version.getOrDefault(job, 0L)
                || (!"log".equals(type) && v <= stateVersion.getOrDefault(job, 0L))) {
            violations.add(type + " of " + job + " at version " + v + " after version "
                    + version.getOrDefault(job, 0L) + " (state " + stateVersion.getOrDefault(job, 0L) + ")");
        }
        version.merge(job, v, Math::max);
        if (!"log".equals(type)) {
            stateVersion.merge(job, v, Math::max);
            seen.add("state " + job + " " + v);
        }
        if ("status".equals(type) && job.equals(root) && isTerminal(detail)) {
            seen.add("finished " + root + " " + v);
        }
    }

    private static boolean isTerminal(String status) {
        return status.equals("completed") || status.equals("failed") || status.equals("cancelled");
    }

    private static JsonNode parse(String data) {
        try {
            return Target.JSON.readTree(data);
        } catch (IOException e) {
            throw new IllegalStateException("an event that is not JSON: " + data, e);
        }
    }

    /** Whether it saw this: {@code log JOB MESSAGE} or {@code status JOB TO}. */
    synchronized boolean saw(String item) {
        return seen.contains(item);
    }

    synchronized boolean heardOf(String job) {
        return jobs.contains(job);
    }

    /** The distinct versions at which the root reached a terminal status: 1 for a parent that finished once. */
    synchronized long finishes() {
        return seen.stream().filter(s -> s.startsWith("finished " + root + " ")).count();
    }

    synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    synchronized int staleSnapshots() {
        return staleSnapshots;
    }

    int connections() {
        return connections;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
