package dev.herald.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The small HTTP client of the remote commands ({@code watch}, {@code jobs}, and the
 * {@code demo}'s simulated workers): JSON requests to {@code /api/v1} with the
 * bearer token, server errors turned into {@link ApiException}, and line streams
 * for Server-Sent Events. JDK {@link HttpClient} only.
 */
final class ApiClient {
    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

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
        return send(request(path).GET().build());
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
        HttpRequest.Builder b = request(path).POST(publisher);
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return send(b.build());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1" + path))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private JsonNode send(HttpRequest request) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ApiException.UNREACHABLE, "interrupted", "interrupted", -1);
        }
        if (response.statusCode() >= 400) {
            throw error(response.statusCode(), response.body(), response.headers().firstValue("Retry-After").orElse(null));
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

    ApiException unreachable(IOException e) {
        String why = e instanceof ConnectException ? "connection refused"
                : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return new ApiException(ApiException.UNREACHABLE, "unreachable", "cannot reach " + baseUrl + ": " + why, -1);
    }

    /** The {@link ApiException} for an error answer: the server's {@code error.message} when it sent one. */
    static ApiException error(int status, String body, String retryAfter) {
        String code = null;
        String message = null;
        if (body != null && !body.isBlank()) {
            try {
                JsonNode error = JSON.readTree(body).path("error");
                code = error.path("code").isTextual() ? error.path("code").asText() : null;
                message = error.path("message").isTextual() ? error.path("message").asText() : null;
                if (message != null && error.path("field").isTextual()) {
                    message += " (field " + error.path("field").asText() + ")";
                }
            } catch (JsonProcessingException ignored) {
                // not JSON: fall through to the status text
            }
        }
        if (message == null) {
            message = "the server answered HTTP " + status;
        }
        long retryMs = -1;
        if (retryAfter != null) {
            try {
                retryMs = Math.max(0, Long.parseLong(retryAfter.trim())) * 1000;
            } catch (NumberFormatException ignored) {
                retryMs = 1000;
            }
        }
        return new ApiException(status, code, message, retryMs);
    }

    /**
     * Opens {@code GET /api/v1{path}} as a stream of lines (for Server-Sent Events).
     * Refusals (any status but 200) throw {@link ApiException} with the server's message.
     *
     * @param lastEventId sent as {@code Last-Event-ID} when not null
     */
    LineStream openLines(String path, String lastEventId) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1" + path))
                .header("Accept", "text/event-stream")
                .GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (lastEventId != null && !lastEventId.isEmpty()) {
            b.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<Stream<String>> response;
        try {
            response = http.send(b.build(), HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ApiException.UNREACHABLE, "interrupted", "interrupted", -1);
        }
        if (response.statusCode() != 200) {
            StringBuilder body = new StringBuilder();
            try (Stream<String> lines = response.body()) {
                lines.limit(200).forEach(l -> body.append(l).append('\n'));
            } catch (UncheckedIOException ignored) {
                // keep what we have
            }
            throw error(response.statusCode(), body.toString(), response.headers().firstValue("Retry-After").orElse(null));
        }
        return new LineStream(response.body());
    }

    /**
     * The lines of a streaming answer, read by a daemon thread so that the reader can
     * wait with a timeout (to notice a silent, half-open connection) and give up.
     */
    static final class LineStream implements AutoCloseable {
        private static final Object END = new Object();

        private final Stream<String> lines;
        private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        private volatile boolean closed;

        LineStream(Stream<String> lines) {
            this.lines = lines;
            Thread reader = new Thread(this::pump, "herald-sse-reader");
            reader.setDaemon(true);
            reader.start();
        }

        private void pump() {
            try {
                Iterator<String> it = lines.iterator();
                while (!closed && it.hasNext()) {
                    queue.add(it.next());
                }
                queue.add(END);
            } catch (RuntimeException e) {
                queue.add(e.getCause() instanceof IOException io ? io : new IOException(e.getMessage(), e));
            }
        }

        /**
         * The next line; null when none came within {@code timeoutMs}.
         *
         * @throws EOFException when the server ended the stream
         * @throws IOException  when the connection broke
         */
        String next(long timeoutMs) throws IOException, InterruptedException {
            Object o = queue.poll(timeoutMs, TimeUnit.MILLISECONDS);
            if (o == null) {
                return null;
            }
            if (o == END) {
                queue.add(END);
                throw new EOFException("the server ended the stream");
            }
            if (o instanceof IOException e) {
                queue.add(e);
                throw e;
            }
            return (String) o;
        }

        /** Stops reading; the connection is released in the background (closing may block on a dead socket). */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            Thread closer = new Thread(() -> {
                try {
                    lines.close();
                } catch (RuntimeException ignored) {
                    // nothing to do
                }
            }, "herald-sse-close");
            closer.setDaemon(true);
            closer.start();
        }
    }
}
