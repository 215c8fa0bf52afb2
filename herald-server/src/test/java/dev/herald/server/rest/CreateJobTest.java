package dev.herald.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static dev.herald.server.rest.Rest.JOBS;
import static dev.herald.server.rest.Rest.json;
import static org.assertj.core.api.Assertions.assertThat;

/** POST /api/v1/jobs (API §1, §2): the job's shape, defaults, initial statuses, Location and idempotency. */
class CreateJobTest {
    private static final List<String> FIELDS = List.of("id", "type", "name", "project", "owner", "parentId", "status",
            "stages", "progress", "children", "eta", "result", "error", "attempt", "createdAt", "startedAt",
            "finishedAt", "updatedAt", "version");
    private static final List<String> PROGRESS_FIELDS = List.of("stage", "stageIndex", "current", "total", "unit",
            "percent", "message", "metadata");

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String uniqueProject() {
        return "p-" + UUID.randomUUID();
    }

    @Test
    void createAnswers201WithEveryFieldOfTheJobWithItsType() {
        HttpResponse<String> r = server.post(JOBS, "{\"type\":\"import-csv\",\"name\":\"Import customers.csv\","
                + "\"project\":\"acme\",\"stages\":[{\"name\":\"parsing\",\"weight\":20},{\"name\":\"loading\",\"weight\":80}],"
                + "\"total\":1000,\"unit\":\"rows\",\"metadata\":{\"source\":\"s3\"}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode job = json(r);
        for (String f : FIELDS) {
            assertThat(job.has(f)).as("field %s in %s", f, r.body()).isTrue();
        }
        assertThat(job.get("id").isTextual()).isTrue();
        assertThat(job.get("id").asText()).matches(Rest.JOB_ID);
        assertThat(job.get("type").asText()).isEqualTo("import-csv");
        assertThat(job.get("name").asText()).isEqualTo("Import customers.csv");
        assertThat(job.get("project").asText()).isEqualTo("acme");
        assertThat(job.get("owner").isTextual()).as("owner is set").isTrue();
        assertThat(job.get("owner").asText()).isNotBlank();
        assertThat(job.get("parentId").isNull()).isTrue();
        assertThat(job.get("status").asText()).isEqualTo("pending");
        assertThat(job.get("stages").isArray()).isTrue();
        assertThat(job.get("stages")).hasSize(2);
        assertThat(job.at("/stages/0/name").asText()).isEqualTo("parsing");
        assertThat(job.at("/stages/0/weight").isNumber()).isTrue();
        assertThat(job.at("/stages/0/weight").asDouble()).isEqualTo(20.0);
        assertThat(job.at("/stages/1/name").asText()).isEqualTo("loading");
        assertThat(job.at("/stages/1/weight").asDouble()).isEqualTo(80.0);

        JsonNode progress = job.get("progress");
        assertThat(progress.isObject()).as("progress is an object").isTrue();
        for (String f : PROGRESS_FIELDS) {
            assertThat(progress.has(f)).as("progress.%s in %s", f, r.body()).isTrue();
        }
        assertThat(progress.get("percent").isNumber()).isTrue();
        assertThat(progress.get("percent").asDouble()).isEqualTo(0.0);
        assertThat(progress.get("total").asDouble()).isEqualTo(1000.0);
        assertThat(progress.get("unit").asText()).isEqualTo("rows");
        assertThat(progress.at("/metadata/source").asText()).isEqualTo("s3");

        assertThat(job.get("children").isNull()).as("children null without children").isTrue();
        assertThat(job.get("eta").isNull()).as("eta null on a new job").isTrue();
        assertThat(job.get("result").isNull()).isTrue();
        assertThat(job.get("error").isNull()).isTrue();
        assertThat(job.get("attempt").isIntegralNumber()).isTrue();
        assertThat(job.get("attempt").asInt()).isEqualTo(1);
        assertThat(job.get("version").isIntegralNumber()).isTrue();
        assertThat(job.get("version").asLong()).isEqualTo(1);
        assertThat(job.get("createdAt").asText()).matches(Rest.TIME);
        assertThat(job.get("updatedAt").asText()).matches(Rest.TIME);
        assertThat(job.get("startedAt").isNull()).as("a pending job has not started").isTrue();
        assertThat(job.get("finishedAt").isNull()).isTrue();

        // what the create answered is what a read answers
        JsonNode read = Rest.job(server, job.get("id").asText());
        assertThat(read).isEqualTo(job);
    }

    @Test
    void defaultsOfAMinimalCreate() {
        JsonNode job = Rest.create(server, "{\"type\":\"minimal\"}");
        assertThat(job.get("status").asText()).isEqualTo("pending");
        assertThat(job.get("project").asText()).isEqualTo("default");
        assertThat(job.get("owner").asText()).isNotBlank();
        assertThat(job.get("version").asLong()).isEqualTo(1);
        assertThat(job.get("attempt").asInt()).isEqualTo(1);
        assertThat(job.get("children").isNull()).isTrue();
        assertThat(job.get("eta").isNull()).isTrue();
        assertThat(job.get("parentId").isNull()).isTrue();
        assertThat(job.get("stages").isArray()).isTrue();
        assertThat(job.get("stages")).isEmpty();
        assertThat(job.at("/progress/percent").asDouble()).isEqualTo(0.0);
        assertThat(job.get("result").isNull()).isTrue();
        assertThat(job.get("error").isNull()).isTrue();
        // ids are unguessable: two jobs never share one
        String other = Rest.createId(server, "{\"type\":\"minimal\"}");
        assertThat(other).isNotEqualTo(job.get("id").asText()).matches(Rest.JOB_ID);
    }

    @Test
    void createdQueued() {
        JsonNode job = Rest.create(server, "{\"type\":\"q\",\"status\":\"queued\"}");
        assertThat(job.get("status").asText()).isEqualTo("queued");
        assertThat(job.get("startedAt").isNull()).isTrue();
    }

    @Test
    void createdRunningHasStartedAt() {
        JsonNode job = Rest.create(server, "{\"type\":\"r\",\"status\":\"running\"}");
        assertThat(job.get("status").asText()).isEqualTo("running");
        assertThat(job.get("startedAt").asText()).matches(Rest.TIME);
        assertThat(job.get("finishedAt").isNull()).isTrue();
    }

    @Test
    void createdPendingExplicitly() {
        JsonNode job = Rest.create(server, "{\"type\":\"p\",\"status\":\"pending\"}");
        assertThat(job.get("status").asText()).isEqualTo("pending");
    }

    @Test
    void terminalOrUnknownStatusOnCreateIsInvalidField() {
        for (String status : List.of("completed", "failed", "cancelled", "bogus")) {
            HttpResponse<String> r = server.post(JOBS, "{\"type\":\"x\",\"status\":\"" + status + "\"}");
            Rest.error(r, 400, "invalid_field", "status");
        }
    }

    @Test
    void locationHeaderNamesTheNewJob() {
        HttpResponse<String> r = server.post(JOBS, "{\"type\":\"loc\"}");
        assertThat(r.statusCode()).isEqualTo(201);
        String id = json(r).get("id").asText();
        String location = r.headers().firstValue("Location").orElse(null);
        assertThat(location).as("Location header").isNotNull().endsWith("/api/v1/jobs/" + id);
        // and it can be followed
        String path = location.startsWith("http") ? java.net.URI.create(location).getPath() : location;
        assertThat(server.get(path).statusCode()).isEqualTo(200);
    }

    private static HttpResponse<String> createWithKey(String key, String body) {
        return server.send(server.request(JOBS).header("Content-Type", "application/json")
                .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static List<String> idsInProject(String project) {
        HttpResponse<String> r = server.get(JOBS + "?project=" + project + "&limit=500");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        json(r).get("items").forEach(j -> ids.add(j.get("id").asText()));
        return ids;
    }

    @Test
    void sameIdempotencyKeyAnswers200WithTheSameJob() {
        String project = uniqueProject();
        String body = "{\"type\":\"idem\",\"project\":\"" + project + "\"}";
        HttpResponse<String> first = createWithKey("key-1", body);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        JsonNode job = json(first);

        HttpResponse<String> again = createWithKey("key-1", body);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(json(again).get("id").asText()).isEqualTo(job.get("id").asText());
        assertThat(json(again).get("type").asText()).isEqualTo("idem");

        assertThat(idsInProject(project)).containsExactly(job.get("id").asText());

        // another key is another job
        HttpResponse<String> other = createWithKey("key-2", body);
        assertThat(other.statusCode()).as(other.body()).isEqualTo(201);
        assertThat(json(other).get("id").asText()).isNotEqualTo(job.get("id").asText());
        assertThat(idsInProject(project)).hasSize(2);
    }

    @Test
    void sameIdempotencyKeyAfterTheJobChangedStillAnswersThatJob() {
        String project = uniqueProject();
        String body = "{\"type\":\"idem\",\"project\":\"" + project + "\"}";
        String id = json(createWithKey("k", body)).get("id").asText();
        Rest.accepted(server, id, "{\"percent\":40}");
        HttpResponse<String> again = createWithKey("k", body);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json(again).get("id").asText()).isEqualTo(id);
        assertThat(json(again).get("status").asText()).isEqualTo("running");
        assertThat(idsInProject(project)).containsExactly(id);
    }

    @Test
    void idempotencyKeysArePerProject() {
        String a = uniqueProject();
        String b = uniqueProject();
        HttpResponse<String> inA = createWithKey("shared-key", "{\"type\":\"idem\",\"project\":\"" + a + "\"}");
        HttpResponse<String> inB = createWithKey("shared-key", "{\"type\":\"idem\",\"project\":\"" + b + "\"}");
        assertThat(inA.statusCode()).isEqualTo(201);
        assertThat(inB.statusCode()).as("same key in another project is a new job: %s", inB.body()).isEqualTo(201);
        assertThat(json(inA).get("id").asText()).isNotEqualTo(json(inB).get("id").asText());
        assertThat(json(inB).get("project").asText()).isEqualTo(b);
    }

    @Test
    void tenConcurrentCreatesWithOneKeyMakeOneJob() throws Exception {
        String project = uniqueProject();
        String body = "{\"type\":\"idem-race\",\"project\":\"" + project + "\"}";
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                all.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return createWithKey("race-key", body);
                }, pool));
            }
            go.countDown();
            Set<String> ids = new HashSet<>();
            int created = 0;
            for (CompletableFuture<HttpResponse<String>> f : all) {
                HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
                assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
                if (r.statusCode() == 201) {
                    created++;
                }
                ids.add(json(r).get("id").asText());
            }
            assertThat(ids).as("one job for one key").hasSize(1);
            assertThat(created).as("exactly one of the creates is 201").isEqualTo(1);
            assertThat(idsInProject(project)).containsExactlyElementsOf(ids);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aChildGetsItsParentsProjectAndParentId() {
        String parent = Rest.createId(server, "{\"type\":\"parent\",\"project\":\"proj-parent\"}");
        JsonNode child = Rest.create(server, "{\"type\":\"child\",\"parentId\":\"" + parent + "\"}");
        assertThat(child.get("parentId").asText()).isEqualTo(parent);
        assertThat(child.get("project").asText()).isEqualTo("proj-parent");
        JsonNode childOther = Rest.create(server,
                "{\"type\":\"child\",\"parentId\":\"" + parent + "\",\"project\":\"elsewhere\"}");
        assertThat(childOther.get("project").asText()).as("a child always has its parent's project")
                .isEqualTo("proj-parent");
    }

    @Test
    void aChildOfAnUnknownParentIsRefused() {
        HttpResponse<String> r = server.post(JOBS, "{\"type\":\"child\",\"parentId\":\"" + Rest.UNKNOWN_ID + "\"}");
        assertThat(r.statusCode()).as(r.body()).isBetween(400, 499);
        Rest.error(r, r.statusCode(), null);
    }
}
