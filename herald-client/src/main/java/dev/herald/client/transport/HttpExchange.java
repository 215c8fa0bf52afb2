package dev.herald.client.transport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.json.JobJson;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** One JSON request and its answer, with the bearer token; error answers and lost requests as exceptions. */
final class HttpExchange {
    private final String base;
    private final String authorization;
    private final Duration requestTimeout;
    private final HttpClient http;

    HttpExchange(String base, String token, Duration requestTimeout) {
        this.base = base;
        this.authorization = token == null || token.isBlank() ? null : "Bearer " + token.trim();
        this.requestTimeout = requestTimeout;
        // HTTP/1.1: the server speaks no h2c, and asking for the upgrade costs a header on every new connection
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(requestTimeout)
                .build();
    }

    JsonNode get(String path) {
        return send(request(path).GET());
    }

    /** A GET that may take {@code wait} longer than a request should: a long poll. */
    JsonNode get(String path, Duration wait) {
        return send(request(path).timeout(requestTimeout.plus(wait)).GET());
    }

    /** A request for an event stream: no timeout, since a stream lasts; its reader watches for silence instead. */
    HttpRequest.Builder streamRequest(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "text/event-stream");
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b;
    }

    HttpClient client() {
        return http;
    }

    JsonNode post(String path, String json, Map<String, String> headers) {
        HttpRequest.Builder b = request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        headers.forEach(b::header);
        return send(b);
    }

    /** A POST that may take {@code wait} longer than a request should: a waiting claim. */
    JsonNode post(String path, String json, Map<String, String> headers, Duration wait) {
        HttpRequest.Builder b = request(path).timeout(requestTimeout.plus(wait))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        headers.forEach(b::header);
        return send(b);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(requestTimeout)
                .header("Accept", "application/json");
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b;
    }

    private JsonNode send(HttpRequest.Builder builder) {
        HttpRequest request = builder.build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw lost(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HeraldException(ErrorCode.UNAVAILABLE, "interrupted while waiting for " + base);
        }
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            throw ErrorAnswers.of(status, response.body(), response.headers().firstValue("Retry-After").orElse(null),
                    Instant.now());
        }
        String body = response.body();
        if (body == null || body.isBlank()) {
            return JobJson.mapper().missingNode();
        }
        try {
            return JobJson.mapper().readTree(body);
        } catch (IOException e) {
            throw new HeraldException(ErrorCode.UNAVAILABLE, "the server answered " + request.method() + " "
                    + request.uri().getPath() + " with something that is not JSON");
        }
    }

    /** A request that got no answer: unreachable when not even a connection was made. */
    RetryableException lost(IOException e) {
        if (e instanceof ConnectException || e instanceof HttpConnectTimeoutException) {
            return new ServerUnreachableException("cannot reach " + base + ": " + why(e));
        }
        return new RetryableException(ErrorCode.UNAVAILABLE, "cannot reach " + base + ": " + why(e), null);
    }

    private static String why(IOException e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "no answer to the connect in time";
        }
        if (e instanceof ConnectException) {
            return e.getMessage() != null && !e.getMessage().isBlank() ? e.getMessage() : "connection refused";
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer in time";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    void close() {
        // an HttpClient can be closed from Java 21 on; before, its threads end once it is unreachable
        if (http instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // nothing is left to send
            }
        }
    }
}
