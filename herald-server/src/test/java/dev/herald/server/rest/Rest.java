package dev.herald.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.server.support.TestServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Small helpers shared by the REST tests: JSON bodies, job creation, and the error shape of API §6. */
final class Rest {
    static final ObjectMapper JSON = new ObjectMapper();
    /** ISO-8601 UTC with milliseconds (API intro). */
    static final Pattern TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    static final Pattern JOB_ID = Pattern.compile("j_[0-9A-Za-z]{26}");
    static final String JOBS = "/api/v1/jobs";
    /** Well-formed (as far as a client can tell) but never created. */
    static final String UNKNOWN_ID = "j_00000000000000000000000000";

    private Rest() {
    }

    static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            return fail("not JSON (HTTP " + r.statusCode() + "): " + r.body());
        }
    }

    static ObjectNode object(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** POST /jobs, expecting 201; the job. */
    static JsonNode create(TestServer s, String body) {
        HttpResponse<String> r = s.post(JOBS, body);
        assertThat(r.statusCode()).as("create %s -> %s", body, r.body()).isEqualTo(201);
        return json(r);
    }

    static String createId(TestServer s, String body) {
        return create(s, body).get("id").asText();
    }

    /** A running job of this type (created running). */
    static String running(TestServer s, String type) {
        return createId(s, "{\"type\":\"" + type + "\",\"status\":\"running\"}");
    }

    static JsonNode job(TestServer s, String id) {
        HttpResponse<String> r = s.get(JOBS + "/" + id);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r);
    }

    static long version(TestServer s, String id) {
        return job(s, id).get("version").asLong();
    }

    static HttpResponse<String> action(TestServer s, String id, String action) {
        return s.post(JOBS + "/" + id + "/" + action, "{}");
    }

    static HttpResponse<String> action(TestServer s, String id, String action, String body) {
        return s.post(JOBS + "/" + id + "/" + action, body);
    }

    /** Runs an action that must succeed with 200; the job it answers. */
    static JsonNode ok(TestServer s, String id, String action, String body) {
        HttpResponse<String> r = action(s, id, action, body);
        assertThat(r.statusCode()).as("%s %s -> %s", action, body, r.body()).isEqualTo(200);
        return json(r);
    }

    static HttpResponse<String> progress(TestServer s, String id, String body) {
        return s.post(JOBS + "/" + id + "/progress", body);
    }

    /** Reports progress that must be accepted; the new version. */
    static long accepted(TestServer s, String id, String body) {
        HttpResponse<String> r = progress(s, id, body);
        assertThat(r.statusCode()).as("progress %s -> %s", body, r.body()).isEqualTo(202);
        return json(r).get("version").asLong();
    }

    static double percent(TestServer s, String id) {
        return job(s, id).at("/progress/percent").asDouble();
    }

    static HttpResponse<String> send(TestServer s, String method, String path, String contentType, byte[] body) {
        HttpRequest.Builder b = s.request(path);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        return s.send(b.build());
    }

    static HttpResponse<String> sendJson(TestServer s, String method, String path, String body) {
        return send(s, method, path, "application/json", body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Asserts an error answer of API §6: the status, a JSON body
     * {@code {"error":{"code","message","field"?}}} with this code (any code when null); the error object.
     */
    static JsonNode error(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as("status of %s", r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse(""))
                .as("Content-Type of an error").startsWith("application/json");
        JsonNode body = json(r);
        assertThat(body.isObject()).as(r.body()).isTrue();
        JsonNode e = body.get("error");
        assertThat(e).as("error object in %s", r.body()).isNotNull();
        assertThat(e.isObject()).as(r.body()).isTrue();
        assertThat(e.path("code").isTextual()).as("error.code in %s", r.body()).isTrue();
        assertThat(e.path("message").isTextual()).as("error.message in %s", r.body()).isTrue();
        assertThat(e.get("message").asText()).as("error.message in %s", r.body()).isNotBlank();
        if (e.has("field") && !e.get("field").isNull()) {
            assertThat(e.get("field").isTextual()).as("error.field in %s", r.body()).isTrue();
        }
        if (code != null) {
            assertThat(e.get("code").asText()).as(r.body()).isEqualTo(code);
        }
        return e;
    }

    /** Like {@link #error} and also checks {@code error.field}. */
    static JsonNode error(HttpResponse<String> r, int status, String code, String field) {
        JsonNode e = error(r, status, code);
        assertThat(e.path("field").asText(null)).as("error.field in %s", r.body()).isEqualTo(field);
        return e;
    }

    static String repeat(char c, int n) {
        return String.valueOf(c).repeat(n);
    }

    static int count(Iterator<?> it) {
        int n = 0;
        while (it.hasNext()) {
            it.next();
            n++;
        }
        return n;
    }
}
