package dev.herald.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Requests of {@link ClusterSoak} to random nodes of a cluster, one node killed now and then: a request that got no
 * answer, or 503 (a node starting, a tree moving), is sent again to another random node, up to a minute or so. What
 * is answered is what the soak counts as acknowledged.
 */
final class SoakCalls {
    private static final int TRIES = 300;
    private final ClusterNodes cluster;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    SoakCalls(ClusterNodes cluster, String token) {
        this.cluster = cluster;
        this.token = token;
    }

    ClusterNodes.Node randomNode() {
        return cluster.node(ThreadLocalRandom.current().nextInt(cluster.size()));
    }

    /** A POST's answer (any status but 503), or null when none came in all tries: not acknowledged. */
    HttpResponse<String> post(String path, String body, String idempotencyKey) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder().timeout(Duration.ofSeconds(15))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return send(request, path);
    }

    /** A GET's answer, or null when no node answered anything but 503. */
    HttpResponse<String> get(String path) throws InterruptedException {
        return send(HttpRequest.newBuilder().timeout(Duration.ofSeconds(15))
                .header("Authorization", "Bearer " + token).GET(), path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String path) throws InterruptedException {
        for (int i = 0; i < TRIES; i++) {
            try {
                HttpResponse<String> answer = http.send(request.uri(URI.create(randomNode().url() + path)).build(),
                        BodyHandlers.ofString());
                if (answer.statusCode() != 503) {
                    return answer;
                }
                Thread.sleep(200);
            } catch (IOException e) {
                // the node is down, or died with the request: another node, in a moment
                Thread.sleep(50);
            }
        }
        return null;
    }
}
