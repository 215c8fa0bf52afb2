package dev.herald.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.support.SseClient;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** /api/v1/openapi.json, /health/live, /health/ready and /metrics (API §2). */
class OperationsTest {
    /** Every route of API §2's table but the WebSocket rows, as "method path" below /api/v1. */
    private static final List<String> ROUTES = List.of(
            "post /jobs",
            "get /jobs/{id}",
            "get /jobs",
            "post /jobs/{id}/progress",
            "post /jobs/{id}/start",
            "post /jobs/{id}/complete",
            "post /jobs/{id}/fail",
            "post /jobs/{id}/cancel",
            "post /jobs/{id}/retry",
            "post /jobs/{id}/heartbeat",
            "post /jobs/{id}/logs",
            "get /jobs/{id}/logs",
            "get /jobs/{id}/children",
            "get /jobs/{id}/result",
            "post /progress:batch",
            "get /events",
            "get /jobs/{id}/events",
            "get /openapi.json");

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> anonymous(String path) {
        return server.send(HttpRequest.newBuilder(server.uri(path)).GET().build());
    }

    @Test
    void openApiIsValidJsonOf31() {
        HttpResponse<String> r = server.get("/api/v1/openapi.json");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode doc = Rest.json(r);
        assertThat(doc.path("openapi").asText()).matches("3\\.1\\.\\d+");
        assertThat(doc.path("info").path("title").isTextual()).isTrue();
        assertThat(doc.path("info").path("version").isTextual()).isTrue();
        assertThat(doc.path("paths").isObject()).isTrue();
    }

    @Test
    void openApiHasEveryRouteOfTheTable() {
        JsonNode doc = Rest.json(server.get("/api/v1/openapi.json"));
        List<String> documented = new ArrayList<>();
        for (Iterator<String> paths = doc.get("paths").fieldNames(); paths.hasNext(); ) {
            String path = paths.next();
            String normal = path.startsWith("/api/v1/") ? path.substring("/api/v1".length()) : path;
            normal = normal.replaceAll("\\{[^}]+}", "{id}");
            for (Iterator<String> methods = doc.get("paths").get(path).fieldNames(); methods.hasNext(); ) {
                String method = methods.next().toLowerCase(Locale.ROOT);
                if (List.of("get", "post", "put", "patch", "delete", "head", "options").contains(method)) {
                    documented.add(method + " " + normal);
                }
            }
        }
        assertThat(documented).as("documented operations").containsAll(ROUTES);
    }

    @Test
    void healthLiveAndReady() {
        HttpResponse<String> live = anonymous("/health/live");
        assertThat(live.statusCode()).as(live.body()).isEqualTo(200);
        HttpResponse<String> ready = anonymous("/health/ready");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(server.get("/health/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void metricsArePrometheusTextWithTheServersNames() throws Exception {
        String id = Rest.running(server, "metrics");
        Rest.accepted(server, id, "{\"percent\":10}");
        server.post("/api/v1/progress:batch", "[{\"jobId\":\"" + id + "\",\"percent\":20}]");
        try (SseClient sse = SseClient.open(server, "/api/v1/jobs/" + id + "/events")) {
            assertThat(sse.status()).isEqualTo(200);
            assertThat(sse.next(Duration.ofSeconds(10))).as("snapshot").isNotNull();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                HttpResponse<String> r = server.get("/metrics");
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
                String text = r.body();
                assertThat(text).contains("# TYPE ");
                assertThat(text).as("request counts").contains("herald_http_requests_total{");
                assertThat(text).as("progress updates").contains("herald_progress_updates_total");
                assertThat(text).as("events delivered").contains("herald_events_delivered_total");
                assertThat(text).as("open streams").contains("herald_streams_open");
                assertThat(text).as("store flush latency").contains("herald_store_flush_seconds");
                assertThat(value(text, "herald_progress_updates_total")).isGreaterThanOrEqualTo(2.0);
                assertThat(value(text, "herald_streams_open")).isGreaterThanOrEqualTo(1.0);
                assertThat(value(text, "herald_events_delivered_total")).isGreaterThanOrEqualTo(1.0);
                assertThat(value(text, "herald_store_flush_seconds_count")).isGreaterThanOrEqualTo(1.0);
                // routes are labelled by template, never by job id
                assertThat(text).doesNotContain(id);
            });
        }
    }

    /**
     * A stream is counted among the requests answered as it opens (before its snapshot goes out), whoever ends it
     * and whenever: it lets go of the routing context whose end handlers count the other requests.
     */
    @Test
    void anOpenStreamIsCountedAmongTheRequestsAnswered() {
        String id = Rest.running(server, "metrics");
        double before = streamsCounted();
        try (SseClient sse = SseClient.open(server, "/api/v1/jobs/" + id + "/events")) {
            assertThat(sse.next(Duration.ofSeconds(10))).as("snapshot").isNotNull();
            assertThat(streamsCounted()).isEqualTo(before + 1);
        }
    }

    private static double streamsCounted() {
        double sum = 0;
        for (String line : server.get("/metrics").body().split("\n")) {
            if (line.startsWith("herald_http_requests_total{") && line.contains("route=\"GET /jobs/{id}/events\"")
                    && line.contains("status=\"200\"")) {
                String[] parts = line.trim().split(" ");
                sum += Double.parseDouble(parts[parts.length - 1]);
            }
        }
        return sum;
    }

    /** The sum of the samples of a metric (over its labels). */
    private static double value(String text, String name) {
        double sum = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                String[] parts = line.trim().split(" ");
                sum += Double.parseDouble(parts[parts.length - 1]);
            }
        }
        return sum;
    }
}
