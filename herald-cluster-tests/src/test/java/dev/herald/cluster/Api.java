package dev.herald.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The REST API of a node (or of nginx in front), called with the admin token, over HTTP/1.1. */
final class Api {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** An answer: its status and its body as JSON (null when empty). */
    record Answer(int status, JsonNode body) {
        boolean ok() {
            return status / 100 == 2;
        }
    }

    private Api() {
    }

    static Answer send(String base, String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/api/v1" + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + Nodes.TOKEN)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body().isEmpty() ? null : JSON.readTree(r.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + base + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A POST that must succeed (2xx); its body. */
    static JsonNode post(String base, String path, String json) {
        Answer a = send(base, "POST", path, json);
        assertThat(a.ok()).as("POST %s%s %s: %s %s", base, path, json, a.status(), a.body()).isTrue();
        return a.body();
    }

    /** A GET that must answer 200; its body. */
    static JsonNode get(String base, String path) {
        Answer a = send(base, "GET", path, null);
        assertThat(a.status()).as("GET %s%s: %s", base, path, a.body()).isEqualTo(200);
        return a.body();
    }

    /** Creates a job ({@code fields} inside the braces, e.g. {@code "type":"t"}) and returns its id. */
    static String create(String base, String fields) {
        return post(base, "/jobs", "{" + fields + "}").get("id").asText();
    }

    static void progress(String base, String job, int current) {
        post(base, "/jobs/" + job + "/progress", "{\"current\":" + current + ",\"total\":1000}");
    }

    static void log(String base, String job, String message) {
        post(base, "/jobs/" + job + "/logs", "{\"level\":\"info\",\"message\":\"" + message + "\"}");
    }
}
