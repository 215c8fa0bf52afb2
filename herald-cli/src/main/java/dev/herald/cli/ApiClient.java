package dev.herald.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The small HTTP client of the remote commands ({@code watch}, {@code jobs}, and the
 * {@code demo}'s simulated workers): JSON requests to {@code /api/v1} with the
 * bearer token, server errors turned into {@link ApiException}, and {@link LineStream}s
 * for Server-Sent Events. JDK {@link HttpClient} only.
 */
final class ApiClient {
    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private static final String JSON_TYPE = "application/json";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final String baseUrl;
    private final String token;
    private final HttpClient http;

    /**
     * @param baseUrl the server, e.g. {@code http://127.0.0.1:8080} (a trailing slash is fine)
     * @param token   the bearer token, or null to send none
     */
    ApiClient(String baseUrl, String token) {
        String url = baseUrl.trim();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + baseUrl + "' is not a URL (expected e.g. http://127.0.0.1:8080)");
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null) {
            throw new IllegalArgumentException("'" + baseUrl + "' is not an http(s) URL (expected e.g. http://127.0.0.1:8080)");
        }
        this.baseUrl = url;
        this.token = token == null || token.isBlank() ? null : token.trim();
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
    }

    String baseUrl() {
        return baseUrl;
    }

    boolean hasToken() {
        return token != null;
    }

    /** {@code /jobs/{id}} with the id escaped; {@code suffix} like {@code "/events"} or {@code ""}. */
    static String jobPath(String jobId, String suffix) {
        return "/jobs/" + URLEncoder.encode(jobId, StandardCharsets.UTF_8).replace("+", "%20") + suffix;
    }

    /** A query string ({@code ?a=1&b=2}) of the non-null values, or {@code ""}. */
    static String query(Map<String, ?> params) {
        StringJoiner q = new StringJoiner("&", "?", "");
        q.setEmptyValue("");
        params.forEach((k, v) -> {
            if (v != null) {
                q.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(String.valueOf(v), StandardCharsets.UTF_8));
            }
        });
        return q.toString();
    }

    /** An ordered JSON object from {@code key, value, key, value...}; null values are left out. */
    static Map<String, Object> obj(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                m.put((String) keysAndValues[i], keysAndValues[i + 1]);
            }
        }
        return m;
    }

    /** {@code GET /api/v1{path}}: the JSON answer. */
    JsonNode get(String path) {
        return send(jsonRequest(path).GET().build());
    }

    /** {@code POST /api/v1{path}} with {@code body} as JSON (null: no body): the JSON answer, or null when empty. */
    JsonNode post(String path, Object body) {
        HttpRequest.BodyPublisher publisher;
        try {
            publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
        HttpRequest.Builder b = jsonRequest(path).POST(publisher);
        if (body != null) {
            b.header("Content-Type", JSON_TYPE);
        }
        return send(b.build());
    }

    /**
     * Opens {@code GET /api/v1{path}} as a stream of lines (for Server-Sent Events).
     * Refusals (any status but 200) throw {@link ApiException} with the server's message.
     *
     * @param lastEventId sent as {@code Last-Event-ID} when not null
     */
    LineStream openLines(String path, String lastEventId) {
        HttpRequest.Builder b = request(path, "text/event-stream").GET();
        if (lastEventId != null && !lastEventId.isEmpty()) {
            b.header("Last-Event-ID", lastEventId);
        }
        return LineStream.of(exchange(b.build(), HttpResponse.BodyHandlers.ofLines()));
    }

    /** A JSON request times out; a stream (see {@link #request}) stays open as long as it lasts. */
    private HttpRequest.Builder jsonRequest(String path) {
        return request(path, JSON_TYPE).timeout(REQUEST_TIMEOUT);
    }

    private HttpRequest.Builder request(String path, String accept) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1" + path))
                .header("Accept", accept);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw ApiException.unreachable(baseUrl, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.interrupted();
        }
    }

    private JsonNode send(HttpRequest request) {
        HttpResponse<String> response = exchange(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() >= 400) {
            throw ApiException.answered(response.statusCode(), response.body(),
                    response.headers().firstValue("Retry-After").orElse(null));
        }
        String body = response.body();
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ApiException(response.statusCode(), "invalid_response",
                    "the server answered " + request.method() + " " + request.uri().getPath() + " with something that is not JSON", -1);
        }
    }
}
