package dev.herald.server.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.server.support.SseClient;
import dev.herald.server.support.TestServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Small helpers of the security tests: calls with any token, keys, jobs, streams. */
final class Sec {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String API = "/api/v1";
    /** Shaped like a job id, never created. */
    static final String UNKNOWN_ID = "j_00000000000000000000000000";
    static final Duration WAIT = Duration.ofSeconds(10);

    private Sec() {
    }

    static HttpRequest.Builder request(TestServer s, String pathAndQuery, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(s.uri(pathAndQuery)).timeout(Duration.ofSeconds(70));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    static HttpResponse<String> send(TestServer s, HttpRequest.Builder b) {
        return s.send(b.build());
    }

    static HttpResponse<String> get(TestServer s, String pathAndQuery, String token) {
        return s.send(request(s, pathAndQuery, token).GET().build());
    }

    static HttpResponse<String> post(TestServer s, String pathAndQuery, String token, String json) {
        if (json == null) {
            return call(s, "POST", pathAndQuery, token, null);
        }
        return s.send(request(s, pathAndQuery, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** {@code POST /jobs} with an {@code Idempotency-Key}. */
    static HttpResponse<String> createWithKey(TestServer s, String token, String key, String json) {
        return s.send(request(s, API + "/jobs", token).header("Idempotency-Key", key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** A request of the given method ("GET" or "POST"); a POST sends {@code body} (or nothing when null). */
    static HttpResponse<String> call(TestServer s, String method, String pathAndQuery, String token, String body) {
        if (method.equals("GET")) {
            return get(s, pathAndQuery, token);
        }
        HttpRequest.Builder b = request(s, pathAndQuery, token);
        if (body == null) {
            b.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        }
        return s.send(b.build());
    }

    static JsonNode json(HttpResponse<String> r) {
        return tree(r.body());
    }

    static JsonNode tree(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return fail("not JSON: " + text);
        }
    }

    static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** POST /keys with the admin token, expecting 201: {key, token}. */
    static JsonNode createKey(TestServer s, String project, String scope, String name, Integer expiresInSeconds) {
        StringBuilder body = new StringBuilder("{\"project\":").append(quote(project))
                .append(",\"scope\":").append(quote(scope));
        if (name != null) {
            body.append(",\"name\":").append(quote(name));
        }
        if (expiresInSeconds != null) {
            body.append(",\"expiresInSeconds\":").append(expiresInSeconds);
        }
        body.append('}');
        HttpResponse<String> r = post(s, API + "/keys", TestServer.TOKEN, body.toString());
        assertThat(r.statusCode()).as("POST /keys %s -> %s", body, r.body()).isEqualTo(201);
        return json(r);
    }

    /** A new key's token. */
    static String keyToken(TestServer s, String project, String scope) {
        return createKey(s, project, scope, null, null).get("token").asText();
    }

    /** Creates a job with this token, expecting 201; the job. */
    static JsonNode create(TestServer s, String token, String body) {
        HttpResponse<String> r = post(s, API + "/jobs", token, body);
        assertThat(r.statusCode()).as("POST /jobs %s -> %s", body, r.body()).isEqualTo(201);
        return json(r);
    }

    /** Creates a job with the admin token; its id. */
    static String adminJob(TestServer s, String body) {
        return create(s, TestServer.TOKEN, body).get("id").asText();
    }

    static JsonNode job(TestServer s, String id) {
        HttpResponse<String> r = get(s, API + "/jobs/" + id, TestServer.TOKEN);
        assertThat(r.statusCode()).as("GET %s -> %s", id, r.body()).isEqualTo(200);
        return json(r);
    }

    static void assertError(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as("status of %s -> %s", r.request().uri(), r.body()).isEqualTo(status);
        assertThat(json(r).path("error").path("code").asText()).as("error code of %s", r.body()).isEqualTo(code);
    }

    /** An SSE stream with the token in the Authorization header. */
    static SseClient sse(TestServer s, String pathAndQuery, String token) {
        return SseClient.open(s.client(), s.uri(pathAndQuery), token, Map.of());
    }

    /** An SSE stream with the token in {@code ?access_token=}. */
    static SseClient sseWithQueryToken(TestServer s, String pathAndQuery, String token) {
        String sep = pathAndQuery.contains("?") ? "&" : "?";
        return SseClient.open(s.client(), s.uri(pathAndQuery + sep + "access_token=" + token), null, Map.of());
    }

    /** The first non-comment event of a stream, failing when none comes. */
    static SseClient.Event next(SseClient sse) {
        SseClient.Event e = sse.next(WAIT);
        if (e == null) {
            fail("no event within " + WAIT + " (ended: " + sse.ended() + ")");
        }
        return e;
    }

    /** Drops {@code id} from a text so two refusals can be compared apart from the id they name. */
    static String withoutId(String text, String id) {
        return text.replace(id, "<ID>");
    }

    /** The value of a Prometheus series, e.g. {@code herald_streams_open{transport="sse"}}, or NaN. */
    static double metric(TestServer s, String series) {
        HttpResponse<String> r = s.send(HttpRequest.newBuilder(s.uri("/metrics")).GET().build());
        for (String line : r.body().split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return Double.NaN;
    }

    static HttpClient http1() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    static URI wsUri(TestServer s, String pathAndQuery) {
        return URI.create(s.baseUrl().replaceFirst("^http", "ws") + pathAndQuery);
    }

    static List<String> ids(JsonNode page) {
        List<String> out = new java.util.ArrayList<>();
        page.path("items").forEach(j -> out.add(j.path("id").asText()));
        return out;
    }
}
