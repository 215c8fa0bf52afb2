package dev.herald.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.server.edge.ApiRoute;
import dev.herald.server.support.OpenApiDocument.Operation;
import dev.herald.server.support.OpenApiDocument;
import dev.herald.server.support.SseClient;
import dev.herald.server.support.TestServer;
import io.vertx.ext.web.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /openapi.json} against the real server: the routes it documents are the routes the router has, the query
 * parameters and body fields it documents are exactly those accepted, and real answers match its schemas.
 */
class OpenApiTest {
    private static final String API = "/api/v1";
    private static TestServer server;
    private static OpenApiDocument doc;
    /** A running job, for the routes of one job. */
    private static String job;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri(API + "/openapi.json")).GET().build());
        assertThat(r.statusCode()).as("served without a token: %s", r.body()).isEqualTo(200);
        doc = new OpenApiDocument(r.body());
        job = Rest.running(server, "openapi");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    // ---- the document and the router -----------------------------------------------------

    @Test
    void theRouterServesExactlyTheDocumentedOperations() {
        Set<String> routed = new TreeSet<>();
        for (Route route : server.server().router().getRoutes()) {
            Object api = route.getMetadata(ApiRoute.METADATA);
            String path = route.getPath() != null ? route.getPath()
                    : api instanceof ApiRoute a ? API + a.path() : null;
            if (route.methods() == null || route.methods().isEmpty() || path == null || !path.startsWith(API)) {
                continue;
            }
            String template = path.substring(API.length()).replaceAll("/:(\\w+)", "/{$1}");
            route.methods().forEach(m -> routed.add(m.name() + " " + template));
        }
        Set<String> documented = new TreeSet<>();
        doc.operations().forEach(o -> documented.add(o.label()));
        assertThat(routed).as("routes of the router").isEqualTo(documented);
    }

    @Test
    void everyDocumentedOperationAnswersAndOtherMethodsAreNotAllowed() {
        for (Operation op : doc.operations()) {
            Reply r = send(op, Rest.running(server, "routed"), "", example(op), true);
            assertThat(r.status()).as("%s -> %s", op.label(), r.body()).isNotEqualTo(405);
            assertThat(r.body()).as("%s", op.label()).doesNotContain("no such endpoint");
        }
        Set<String> documented = new TreeSet<>();
        doc.operations().forEach(o -> documented.add(o.label()));
        for (Operation op : doc.operations()) {
            for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE")) {
                if (!documented.contains(method + " " + op.path())) {
                    HttpResponse<String> r = server.send(server.request(API + op.path().replace("{id}", job))
                            .method(method, HttpRequest.BodyPublishers.noBody()).build());
                    assertThat(r.statusCode()).as("%s %s", method, op.path()).isEqualTo(405);
                }
            }
        }
    }

    // ---- query parameters ----------------------------------------------------------------

    @Test
    void everyDocumentedQueryParameterIsAccepted() {
        for (Operation op : doc.operations()) {
            for (String name : op.queryNames(doc)) {
                String query = name + "=" + URLEncoder.encode(value(op, name), StandardCharsets.UTF_8);
                Reply r = send(op, job, query, example(op), true);
                assertThat(r.unknownParameter()).as("%s?%s -> %d %s", op.label(), query, r.status(), r.body())
                        .isNotEqualTo(name);
            }
        }
    }

    @Test
    void everyOtherQueryParameterIsRefused() {
        Set<String> names = new TreeSet<>(List.of("access_token", "notAParameter"));
        doc.operations().forEach(op -> names.addAll(op.queryNames(doc)));
        int refused = 0;
        for (Operation op : doc.operations()) {
            if (op.path().equals("/openapi.json")) {
                continue; // the document itself reads no parameters at all
            }
            for (String name : names) {
                if (!op.queryNames(doc).contains(name)) {
                    Reply r = send(op, job, name + "=1", example(op), true);
                    assertThat(r.unknownParameter()).as("%s?%s=1 -> %d %s", op.label(), name, r.status(),
                            r.body()).isEqualTo(name);
                    refused++;
                }
            }
        }
        assertThat(refused).isGreaterThan(100);
    }

    @Test
    void theTokenGoesInTheQueryExactlyWhereTheDocumentSaysSo() {
        for (Operation op : doc.operations()) {
            if (op.path().equals("/openapi.json")) {
                continue;
            }
            boolean inQuery = op.queryNames(doc).contains("access_token");
            Reply r = send(op, job, "access_token=" + TestServer.TOKEN, example(op), false);
            assertThat(r.status() == 401).as("%s with only ?access_token= -> %d %s", op.label(), r.status(),
                    r.body()).isEqualTo(!inQuery);
        }
    }

    // ---- bodies --------------------------------------------------------------------------

    @Test
    void requestBodiesTakeEveryDocumentedFieldAndNoOther() {
        for (Operation op : doc.operations()) {
            String schema = op.requestSchema();
            if (schema == null) {
                continue;
            }
            JsonNode full = doc.example(doc.schema(schema), true);
            assertThat(doc.errors(schema, full)).as("the example itself").isEmpty();
            // a job of its own: the writes change it
            Reply r = send(op, Rest.running(server, "openapi-body"), "", full.toString(), true);
            assertThat(r.body()).as("%s with %s -> %d", op.label(), full, r.status()).doesNotContain("unknown field");
            JsonNode extra = full.deepCopy();
            ((ObjectNode) (extra.isArray() ? extra.get(0) : extra)).put("notAField", 1);
            assertThat(doc.errors(schema, extra)).as("%s refuses an unknown field", schema).isNotEmpty();
            Reply refused = send(op, Rest.running(server, "openapi-body"), "", extra.toString(), true);
            JsonNode error = extra.isArray() ? refused.json().at("/results/0/error") // a batch answers per entry
                    : refused.json().path("error");
            assertThat(refused.status()).as("%s with %s: %s", op.label(), extra, refused.body()).isIn(200, 400);
            assertThat(error.path("code").asText()).as(refused.body()).isEqualTo("invalid_field");
            assertThat(error.path("field").asText()).as(refused.body()).isEqualTo("notAField");
        }
    }

    @Test
    void realAnswersMatchTheDocumentedSchemas() {
        HttpResponse<String> created = server.post(API + "/jobs", "{\"type\":\"import\",\"name\":\"Import\","
                + "\"stages\":[{\"name\":\"parse\",\"weight\":20},\"load\"],\"total\":10,\"unit\":\"rows\","
                + "\"metadata\":{\"file\":\"a.csv\"},\"maxAttempts\":2,\"status\":\"running\"}");
        answers("post", "/jobs", created, 201);
        String id = Rest.json(created).get("id").asText();
        answers("get", "/jobs/{id}", server.get(API + "/jobs/" + id), 200);
        answers("post", "/jobs/{id}/progress", server.post(API + "/jobs/" + id + "/progress",
                "{\"stage\":\"load\",\"current\":4,\"total\":10,\"message\":\"loading\",\"metadata\":{\"ok\":4}}"), 202);
        answers("post", "/jobs/{id}/logs", server.post(API + "/jobs/" + id + "/logs",
                "{\"level\":\"warn\",\"message\":\"a line\",\"fields\":{\"row\":3}}"), 202);
        server.post(API + "/jobs/" + id + "/logs", "{\"level\":\"info\",\"message\":\"another\"}");
        answers("get", "/jobs/{id}/logs", server.get(API + "/jobs/" + id + "/logs?limit=1"), 200);
        answers("get", "/jobs/{id}/logs", server.get(API + "/jobs/" + id + "/logs"), 200);
        String etag = server.get(API + "/jobs/" + id).headers().firstValue("ETag").orElseThrow();
        answers("get", "/jobs/{id}", server.send(server.request(API + "/jobs/" + id)
                .header("If-None-Match", etag).GET().build()), 304);
        answers("get", "/jobs/{id}", server.get(API + "/jobs/" + id + "?waitForVersion=0"), 200);
        answers("post", "/jobs/{id}/heartbeat", server.post(API + "/jobs/" + id + "/heartbeat", "{}"), 204);
        answers("post", "/jobs/{id}/complete", server.post(API + "/jobs/" + id + "/complete",
                "{\"result\":{\"rows\":10,\"files\":[\"a.csv\"]}}"), 200);
        answers("get", "/jobs/{id}", server.get(API + "/jobs/" + id), 200);
        answers("get", "/jobs/{id}/result", server.get(API + "/jobs/" + id + "/result"), 200);
        answers("post", "/jobs/{id}/progress", server.post(API + "/jobs/" + id + "/progress", "{}"), 409);

        String parent = Rest.createId(server, "{\"type\":\"tree\",\"completeWithChildren\":true}");
        String child = Rest.createId(server, "{\"type\":\"leaf\",\"parentId\":\"" + parent + "\"}");
        answers("post", "/jobs/{id}/start", server.post(API + "/jobs/" + child + "/start", ""), 200);
        answers("post", "/jobs/{id}/fail", server.post(API + "/jobs/" + child + "/fail",
                "{\"error\":{\"code\":\"E_IO\",\"message\":\"disk full\"}}"), 200);
        answers("get", "/jobs/{id}/children", server.get(API + "/jobs/" + parent + "/children"), 200);
        await().atMost(Duration.ofSeconds(10)).until(() -> !Rest.job(server, parent).path("children").isNull());
        answers("get", "/jobs/{id}", server.get(API + "/jobs/" + parent), 200);
        answers("get", "/jobs", server.get(API + "/jobs?limit=2"), 200);
        answers("get", "/stats/statuses", server.get(API + "/stats/statuses?type=x"), 200);
        answers("get", "/stats/statuses", server.get(API + "/stats/statuses?project="), 400);
        answers("get", "/jobs", server.get(API + "/jobs?parentId=" + parent), 200);
        answers("get", "/jobs/{id}", server.get(API + "/jobs/" + Rest.UNKNOWN_ID), 404);

        String other = Rest.running(server, "retried");
        answers("post", "/jobs/{id}/retry", server.post(API + "/jobs/" + other + "/retry", "{}"), 200);
        answers("post", "/jobs/{id}/cancel", server.post(API + "/jobs/" + other + "/cancel", "{}"), 200);
        String big = Rest.running(server, "big");
        server.post(API + "/jobs/" + big + "/complete", "{\"result\":{\"text\":\"" + Rest.repeat('x', 20_000) + "\"}}");
        HttpResponse<String> omitted = server.get(API + "/jobs/" + big);
        assertThat(Rest.json(omitted).path("resultOmitted").asBoolean()).isTrue();
        answers("get", "/jobs/{id}", omitted, 200);

        answers("post", "/progress:batch", server.post(API + "/progress:batch", "[{\"jobId\":\"" + job
                + "\",\"percent\":5},{\"jobId\":\"" + Rest.UNKNOWN_ID + "\",\"percent\":5},{\"percent\":1},"
                + "{\"jobId\":\"" + id + "\"}]"), 200);
        answers("post", "/jobs", server.post(API + "/jobs", "{\"type\":\"x\",\"typo\":1}"), 400);

        String work = Rest.json(server.post(API + "/jobs", "{\"type\":\"openapi-work\",\"status\":\"queued\","
                + "\"input\":{\"n\":1}}")).get("id").asText();
        answers("get", "/jobs/{id}/input", server.get(API + "/jobs/" + work + "/input"), 200);
        answers("get", "/jobs/{id}/input", server.get(API + "/jobs/" + id + "/input"), 200);
        String claim = "{\"types\":[\"openapi-work\"],\"worker\":\"w1\",\"leaseMs\":60000}";
        answers("post", "/jobs:claim", server.post(API + "/jobs:claim", claim), 200);
        answers("get", "/jobs/{id}", server.get(API + "/jobs/" + work), 200);
        answers("post", "/jobs:claim", server.post(API + "/jobs:claim", claim), 204);
        answers("post", "/jobs:claim", server.post(API + "/jobs:claim", "{\"types\":[],\"worker\":\"w\"}"), 400);

        HttpResponse<String> key = server.post(API + "/keys", "{\"project\":\"p\",\"scope\":\"read\","
                + "\"expiresInSeconds\":3600}");
        answers("post", "/keys", key, 201);
        answers("post", "/keys", server.post(API + "/keys", "{\"project\":\"p\",\"scope\":\"write\",\"name\":\"ci\"}"),
                201);
        answers("get", "/keys", server.get(API + "/keys"), 200);
        answers("post", "/keys/{id}/revoke", server.post(API + "/keys/" + Rest.json(key).at("/key/id").asText()
                + "/revoke", ""), 200);
    }

    @Test
    void streamedEventsMatchTheEventSchema() {
        String id = Rest.running(server, "streamed");
        try (SseClient sse = SseClient.open(server, API + "/jobs/" + id + "/events")) {
            assertThat(sse.status()).isEqualTo(200);
            Rest.accepted(server, id, "{\"percent\":50}");
            server.post(API + "/jobs/" + id + "/logs", "{\"level\":\"info\",\"message\":\"hi\"}");
            server.post(API + "/jobs/" + id + "/complete", "{}");
            Set<String> seen = new TreeSet<>();
            for (int i = 0; i < 10 && !seen.containsAll(List.of("snapshot", "log", "status")); i++) {
                SseClient.Event e = sse.next(Duration.ofSeconds(10));
                assertThat(e).as("events so far: %s", seen).isNotNull();
                seen.add(e.event());
                assertValid("Event", Rest.object(e.data()), e.event() + " event");
            }
            assertThat(seen).contains("snapshot", "log", "status");
        }
    }

    @Test
    void theValidatorRefusesWhatTheSchemasDoNotAllow() {
        ObjectNode real = (ObjectNode) Rest.job(server, job);
        assertThat(doc.errors("Job", real)).isEmpty();
        assertThat(doc.errors("Job", real.deepCopy().put("version", "7"))).isNotEmpty();
        assertThat(doc.errors("Job", real.deepCopy().put("status", "sleeping"))).isNotEmpty();
        ObjectNode missing = real.deepCopy();
        missing.remove("parentId");
        assertThat(doc.errors("Job", missing)).isNotEmpty();
        ObjectNode nested = real.deepCopy();
        ((ObjectNode) nested.get("progress")).put("percent", "half");
        assertThat(doc.errors("Job", nested)).as("through $ref").isNotEmpty();
        assertThat(doc.errors("Job", real.deepCopy().put("surprise", 1))).as("answers are open").isEmpty();
        assertThat(doc.strictErrors("Job", real.deepCopy().put("surprise", 1))).isNotEmpty();
        ObjectNode deep = real.deepCopy();
        ((ObjectNode) deep.get("progress")).put("surprise", 1);
        assertThat(doc.strictErrors("Job", deep)).isNotEmpty();
        assertThat(doc.errors("CreateJob", Rest.object("{\"type\":\"t\",\"status\":null,\"name\":null}"))).isEmpty();
        assertThat(doc.errors("CreateJob", Rest.object("{\"type\":\"t\",\"status\":\"completed\"}"))).isNotEmpty();
    }

    // ---- helpers -------------------------------------------------------------------------

    /** The answer has a status the operation documents and a body that matches its schema, field for field. */
    private static void answers(String method, String path, HttpResponse<String> r, int status) {
        Operation op = doc.operation(method, path);
        assertThat(r.statusCode()).as("%s -> %s", op.label(), r.body()).isEqualTo(status);
        assertThat(doc.documentsStatus(op, status)).as("%s documents %d", op.label(), status).isTrue();
        String schema = doc.answerSchema(op, status);
        if (schema == null) {
            assertThat(r.body()).as("%s %d has no body", op.label(), status).isEmpty();
            return;
        }
        assertValid(schema, Rest.json(r), op.label() + " " + status);
    }

    private static void assertValid(String schema, JsonNode body, String what) {
        assertThat(doc.errors(schema, body)).as("%s as %s: %s", what, schema, body).isEmpty();
        assertThat(doc.strictErrors(schema, body)).as("%s has only documented fields: %s", what, body).isEmpty();
    }

    /** A status and a body, from an answer or from the head of a stream. */
    private record Reply(int status, String body) {
        JsonNode json() {
            return Rest.object(body);
        }

        /** The query parameter a 400 refuses as unknown, or null. */
        String unknownParameter() {
            if (status != 400) {
                return null;
            }
            JsonNode error = json().path("error");
            return error.path("message").asText().startsWith("unknown query parameter")
                    ? error.path("field").asText() : null;
        }
    }

    /** A body the operation's schema accepts, with only the required fields; null without a body. */
    private static String example(Operation op) {
        return op.requestSchema() == null ? null : doc.example(doc.schema(op.requestSchema()), false).toString();
    }

    /** The operation on this job; a stream is closed as soon as its head is in. */
    private static Reply send(Operation op, String jobId, String query, String body, boolean withToken) {
        String uri = API + op.path().replace("{id}", jobId) + (query.isEmpty() ? "" : "?" + query);
        if (op.path().endsWith("/events")) {
            try (SseClient sse = SseClient.open(server.client(), server.uri(uri), withToken ? TestServer.TOKEN : null,
                    Map.of())) {
                return new Reply(sse.status(), sse.status() == 200 ? "" : sse.errorBody());
            }
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(uri)).timeout(Duration.ofSeconds(30))
                .method(op.method().toUpperCase(Locale.ROOT), body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (withToken) {
            b.header("Authorization", "Bearer " + TestServer.TOKEN);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = server.send(b.build());
        return new Reply(r.statusCode(), r.body());
    }

    /** A value of the parameter that its schema allows. */
    private static String value(Operation op, String name) {
        if (name.equals("access_token")) {
            return TestServer.TOKEN;
        }
        JsonNode schema = op.queryParameter(name).path("schema");
        if (name.equals("jobs")) {
            return job;
        }
        JsonNode v = doc.example(schema, false);
        return v.isArray() ? v.get(0).asText() : v.asText();
    }
}
