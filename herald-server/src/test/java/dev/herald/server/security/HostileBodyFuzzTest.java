package dev.herald.server.security;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.herald.server.security.Sec.API;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile bodies against every write endpoint (API §6: "A 5xx is never the answer to bad input"): a seeded
 * generator makes a few thousand bodies — random JSON of random shapes, nesting beyond 32, huge numbers,
 * NaN/Infinity, wrong types for every field, invalid UTF-8, oversized strings, control characters, duplicate
 * keys, truncated JSON — plus a sweep of every field of every endpoint with every wrong type, and sends them
 * to real jobs. Every body sent to a job (directly or in a batch entry) is built to be refused. Every answer
 * must be 2xx or 4xx (with the error shape), none may hang, {@code /health/ready} must stay 200 all along, no
 * fuzzed body may be accepted by a job, and every job must afterwards be byte for byte what it was (a job a
 * legitimately accepted request may have changed, e.g. a random but valid child creation, is left out).
 * Run another seed with {@code -Dherald.fuzz.seed=N}; {@code -Dherald.fuzz.requests=N} changes the count.
 */
class HostileBodyFuzzTest {
    private static final long SEED = Long.getLong("herald.fuzz.seed", 20_240_917L);
    private static final int REQUESTS = Integer.getInteger("herald.fuzz.requests", 3000);
    private static final String PROJECT = "fuzz";
    /** {@code /health/ready} is asked between fuzzed requests, once per this many, so all along the fuzz. */
    private static final int READY_PROBE_EVERY = 20;

    private enum Kind { S, N, I, O, B, A }

    /** The fields of each write endpoint and their kinds; a valid value per kind. */
    private static final Map<String, Map<String, Kind>> FIELDS = new LinkedHashMap<>();
    private static final Map<String, Set<String>> REQUIRED = new LinkedHashMap<>();

    static {
        FIELDS.put("create", fields("type", Kind.S, "name", Kind.S, "project", Kind.S, "parentId", Kind.S,
                "stages", Kind.A, "total", Kind.N, "unit", Kind.S, "metadata", Kind.O,
                "completeWithChildren", Kind.B, "status", Kind.S, "maxAttempts", Kind.I));
        FIELDS.put("progress", fields("stage", Kind.S, "stageIndex", Kind.I, "current", Kind.N, "total", Kind.N,
                "unit", Kind.S, "percent", Kind.N, "message", Kind.S, "metadata", Kind.O));
        FIELDS.put("start", fields());
        FIELDS.put("complete", fields("result", Kind.O));
        FIELDS.put("fail", fields("error", Kind.O));
        FIELDS.put("cancel", fields());
        FIELDS.put("retry", fields());
        FIELDS.put("heartbeat", fields());
        FIELDS.put("logs", fields("level", Kind.S, "message", Kind.S, "fields", Kind.O));
        FIELDS.put("batch", fields("jobId", Kind.S, "stage", Kind.S, "stageIndex", Kind.I, "current", Kind.N,
                "total", Kind.N, "unit", Kind.S, "percent", Kind.N, "message", Kind.S, "metadata", Kind.O));
        FIELDS.put("keys", fields("project", Kind.S, "scope", Kind.S, "name", Kind.S, "expiresInSeconds", Kind.I));
        REQUIRED.put("create", Set.of("type"));
        REQUIRED.put("fail", Set.of("error"));
        REQUIRED.put("logs", Set.of("level", "message"));
        REQUIRED.put("batch", Set.of("jobId"));
        REQUIRED.put("keys", Set.of("project", "scope"));
    }

    /** Endpoints whose body may be empty: an empty body there is a valid request, never sent by the fuzzer. */
    private static final Set<String> OPTIONAL_BODY = Set.of("start", "complete", "cancel", "retry", "heartbeat");
    private static final List<String> ENDPOINTS = List.copyOf(FIELDS.keySet());
    private static final List<String> JOB_ENDPOINTS = List.of("progress", "start", "complete", "fail", "cancel",
            "retry", "heartbeat", "logs");

    private static Map<String, Kind> fields(Object... kv) {
        Map<String, Kind> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (Kind) kv[i + 1]);
        }
        return m;
    }

    /** One request to send: which jobs it names, and what the answer must be when that is known. */
    private record Req(int n, String endpoint, String strategy, String path, String token, String contentType,
                       byte[] body, List<String> named, Integer expected) {
    }

    private record Answer(Req req, int status, String body, Throwable error) {
    }

    private Random random;
    private List<String> targets;

    @Test
    void hostileBodiesAreRefusedWithoutHarm() throws Exception {
        System.out.println("HostileBodyFuzzTest seed=" + SEED + " requests=" + REQUESTS
                + " (rerun with -Dherald.fuzz.seed=" + SEED + ")");
        random = new Random(SEED);
        try (TestServer server = TestServer.start()) {
            Map<String, String> parents = new LinkedHashMap<>();
            targets = makeTargets(server, parents);
            String foreignKey = Sec.keyToken(server, "elsewhere", "write");
            String readKey = Sec.keyToken(server, PROJECT, "read");
            // a parent's children summary follows its children asynchronously: snapshot once every job is quiet
            Map<String, String> before = new LinkedHashMap<>();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(400))
                    .until(() -> {
                        Map<String, String> now = new LinkedHashMap<>();
                        for (String id : targets) {
                            now.put(id, Sec.get(server, API + "/jobs/" + id, TestServer.TOKEN).body());
                        }
                        boolean quiet = now.equals(before) && now.values().stream().noneMatch(String::isEmpty);
                        before.clear();
                        before.putAll(now);
                        return quiet && Sec.json(Sec.get(server, API + "/jobs/" + parents.values().iterator().next(), TestServer.TOKEN))
                                .path("children").path("total").asInt() == 2;
                    });

            List<Req> requests = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                requests.add(hostile(i));
            }
            requests.addAll(wrongTypeSweep(requests.size()));
            // credentials that may not write these jobs, with bodies that would otherwise be accepted
            for (int i = 0; i < REQUESTS / 10; i++) {
                requests.add(validWith(requests.size(), foreignKey, 404));
            }
            for (int i = 0; i < REQUESTS / 20; i++) {
                requests.add(validWith(requests.size(), readKey, 401));
            }
            Collections.shuffle(requests, random);

            List<Answer> answers = send(server, requests);

            // what was accepted, and which jobs it may have changed
            Set<String> touched = new LinkedHashSet<>();
            List<String> failures = new ArrayList<>();
            Map<String, Integer> histogram = new TreeMap<>();
            for (Answer a : answers) {
                histogram.merge(a.req().strategy() + " " + a.status(), 1, Integer::sum);
                String what = "#" + a.req().n() + " " + a.req().strategy() + " POST " + a.req().path() + " ("
                        + a.req().body().length + " bytes: " + preview(a.req().body()) + ")";
                if (a.error() != null) {
                    failures.add(what + " -> no answer: " + a.error());
                    continue;
                }
                if (a.status() < 200 || (a.status() >= 300 && a.status() < 400) || a.status() >= 500) {
                    failures.add(what + " -> " + a.status() + " " + preview(a.body().getBytes(StandardCharsets.UTF_8)));
                }
                if (a.req().expected() != null && a.status() != a.req().expected()
                        && !(a.req().endpoint().equals("batch") && a.status() == 200 && a.req().expected() == 404)) {
                    failures.add(what + " -> " + a.status() + ", expected " + a.req().expected() + ": " + a.body());
                }
                if (a.status() >= 400 && a.status() < 500) {
                    JsonNode error = parseOrNull(a.body());
                    if (error == null || !error.path("error").path("code").isTextual()) {
                        failures.add(what + " -> " + a.status() + " without the error shape: " + a.body());
                    }
                }
                if (a.status() >= 200 && a.status() < 300) {
                    if (a.req().expected() == null && JOB_ENDPOINTS.contains(a.req().endpoint())) {
                        // every body sent to a job is built to be refused
                        failures.add(what + " -> " + a.status() + ": a body built to be refused was accepted");
                    }
                    Set<String> changed = accepted(a, failures, what);
                    touched.addAll(changed);
                    if (!changed.isEmpty()) {
                        System.out.println("HostileBodyFuzzTest accepted " + what + " [Content-Type: "
                            + a.req().contentType() + "] -> " + a.status() + " (may change " + changed + ")");
                    }
                }
            }
            // a change to a job reaches its parent's children summary, a cancel its descendants
            Set<String> closure = new LinkedHashSet<>(touched);
            for (String t : touched) {
                for (Map.Entry<String, String> e : parents.entrySet()) {
                    if (e.getKey().equals(t)) {
                        closure.add(e.getValue());
                    }
                    if (e.getValue().equals(t)) {
                        closure.add(e.getKey());
                    }
                }
            }
            List<String> unchanged = new ArrayList<>();
            for (String id : targets) {
                HttpResponse<String> now = Sec.get(server, API + "/jobs/" + id, TestServer.TOKEN);
                assertThat(now.statusCode()).as("job %s still readable", id).isEqualTo(200);
                if (!closure.contains(id)) {
                    unchanged.add(id);
                    if (!now.body().equals(before.get(id))) {
                        failures.add("job " + id + " received only refused requests but changed:\n  before "
                                + before.get(id) + "\n  after  " + now.body());
                    }
                }
            }
            HttpResponse<String> ready = server.send(HttpRequest.newBuilder(server.uri("/health/ready"))
                    .timeout(Duration.ofSeconds(10)).GET().build());
            System.out.println("HostileBodyFuzzTest answers by strategy and status: " + histogram);
            System.out.println("HostileBodyFuzzTest jobs touched by accepted requests: " + closure.size() + " of "
                    + targets.size() + "; compared byte for byte: " + unchanged.size());
            failures.forEach(f -> System.out.println("HostileBodyFuzzTest FAILURE " + f));
            assertThat(ready.statusCode()).as("/health/ready after the fuzz").isEqualTo(200);
            assertThat(failures).as("seed %d: requests answered wrongly or jobs changed by refused requests", SEED)
                    .isEmpty();
            assertThat(unchanged).as("enough jobs got only refusals for the comparison to mean something")
                    .hasSizeGreaterThanOrEqualTo(targets.size() / 2);
        }
    }

    @Test
    void aBodyThatIsNotJsonIsRefusedEvenWhereABodyIsOptional() {
        // API §6: 415 for a body that is not JSON. A multipart body must not be dropped and the request then
        // carried out as if it had no body.
        try (TestServer server = TestServer.start()) {
            List<String> wrong = new ArrayList<>();
            for (String endpoint : List.of("start", "complete", "cancel", "retry", "heartbeat", "progress", "logs")) {
                for (String type : List.of("multipart/form-data", "multipart/form-data; boundary=xyz")) {
                    String id = Sec.adminJob(server, "{\"type\":\"mt\",\"status\":\"" + (endpoint.equals("start")
                            ? "pending" : "running") + "\"}");
                    String before = Sec.get(server, API + "/jobs/" + id, TestServer.TOKEN).body();
                    HttpResponse<String> r = server.send(server.request(API + "/jobs/" + id + "/" + endpoint)
                            .header("Content-Type", type)
                            .POST(HttpRequest.BodyPublishers.ofString("{\"unknown\":1} not json")).build());
                    String after = Sec.get(server, API + "/jobs/" + id, TestServer.TOKEN).body();
                    if (r.statusCode() != 415 || !after.equals(before)) {
                        wrong.add("POST /jobs/{id}/" + endpoint + " [Content-Type: " + type + "] -> " + r.statusCode()
                                + " " + r.body().substring(0, Math.min(120, r.body().length()))
                                + (after.equals(before) ? "" : " (the job changed)"));
                    }
                }
            }
            assertThat(wrong).as("non-JSON bodies that were not refused with 415").isEmpty();
        }
    }

    /** The jobs an accepted answer may have changed. */
    private Set<String> accepted(Answer a, List<String> failures, String what) {
        Set<String> out = new LinkedHashSet<>();
        Req r = a.req();
        if (r.expected() != null && !r.endpoint().equals("batch")) {
            return out; // already reported
        }
        switch (r.endpoint()) {
            case "create" -> {
                JsonNode job = parseOrNull(a.body());
                if (job != null && job.path("parentId").isTextual()) {
                    out.add(job.path("parentId").asText());
                }
            }
            case "batch" -> {
                JsonNode body = parseOrNull(a.body());
                if (body == null) {
                    failures.add(what + " -> batch answer is not JSON: " + a.body());
                    return out;
                }
                for (JsonNode result : body.path("results")) {
                    int status = result.path("status").asInt();
                    if (status >= 200 && status < 300) {
                        out.add(result.path("jobId").asText());
                        if (r.expected() != null) {
                            failures.add(what + " -> an entry was applied for a credential that may not: " + result);
                        } else {
                            // every entry of a fuzzed batch is built to be refused
                            failures.add(what + " -> an entry built to be refused was applied: " + result);
                        }
                    } else if (status >= 500) {
                        failures.add(what + " -> entry answered " + result);
                    }
                }
            }
            case "keys" -> {
                // a key was made: no job changes
            }
            default -> out.addAll(r.named());
        }
        return out;
    }

    private static JsonNode parseOrNull(String text) {
        try {
            return Sec.JSON.readTree(text);
        } catch (Exception e) {
            return null;
        }
    }

    private static String preview(byte[] body) {
        String s = new String(body, 0, Math.min(body.length, 160), StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            out.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return out + (body.length > 160 ? "..." : "");
    }

    // ---- the jobs ----------------------------------------------------------------------------------

    private static List<String> makeTargets(TestServer server, Map<String, String> parents) {
        List<String> ids = new ArrayList<>();
        String p = "\"project\":\"" + PROJECT + "\"";
        ids.add(Sec.adminJob(server, "{\"type\":\"fz-staged\"," + p + ",\"stages\":[{\"name\":\"parse\",\"weight\":20},"
                + "{\"name\":\"load\",\"weight\":80}],\"total\":100,\"unit\":\"rows\",\"metadata\":{\"m\":1}}"));
        ids.add(Sec.adminJob(server, "{\"type\":\"fz-queued\"," + p + ",\"status\":\"queued\"}"));
        String running = Sec.adminJob(server, "{\"type\":\"fz-running\"," + p + ",\"status\":\"running\"}");
        post(server, running, "progress", "{\"current\":5,\"total\":10,\"message\":\"half\"}", 202);
        post(server, running, "logs", "{\"level\":\"info\",\"message\":\"hello\",\"fields\":{\"a\":1}}", 202);
        ids.add(running);
        String staged = Sec.adminJob(server, "{\"type\":\"fz-running-staged\"," + p + ",\"status\":\"running\","
                + "\"stages\":[\"a\",\"b\",\"c\"]}");
        post(server, staged, "progress", "{\"stage\":\"b\",\"current\":1,\"total\":4}", 202);
        ids.add(staged);
        String parent = Sec.adminJob(server, "{\"type\":\"fz-parent\"," + p + ",\"status\":\"running\"}");
        String child1 = Sec.adminJob(server, "{\"type\":\"fz-child\",\"parentId\":\"" + parent + "\",\"status\":\"running\"}");
        String child2 = Sec.adminJob(server, "{\"type\":\"fz-child\",\"parentId\":\"" + parent + "\"}");
        parents.put(child1, parent);
        parents.put(child2, parent);
        ids.add(parent);
        ids.add(child1);
        ids.add(child2);
        String done = Sec.adminJob(server, "{\"type\":\"fz-done\"," + p + ",\"status\":\"running\"}");
        post(server, done, "complete", "{\"result\":{\"rows\":100}}", 200);
        ids.add(done);
        String failed = Sec.adminJob(server, "{\"type\":\"fz-failed\"," + p + ",\"status\":\"running\"}");
        post(server, failed, "fail", "{\"error\":{\"code\":\"E\",\"message\":\"broken\"}}", 200);
        ids.add(failed);
        String cancelled = Sec.adminJob(server, "{\"type\":\"fz-cancelled\"," + p + "}");
        post(server, cancelled, "cancel", "{}", 200);
        ids.add(cancelled);
        return ids;
    }

    private static void post(TestServer server, String id, String what, String body, int status) {
        HttpResponse<String> r = Sec.post(server, API + "/jobs/" + id + "/" + what, TestServer.TOKEN, body);
        assertThat(r.statusCode()).as("%s %s -> %s", what, body, r.body()).isEqualTo(status);
    }

    // ---- sending -----------------------------------------------------------------------------------

    private static List<Answer> send(TestServer server, List<Req> requests) throws InterruptedException {
        HttpClient http = Sec.http1();
        ConcurrentLinkedQueue<Req> queue = new ConcurrentLinkedQueue<>(requests);
        List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
        List<String> notReady = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger sent = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<java.util.concurrent.Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            workers.add(pool.submit(() -> {
                Req r;
                while ((r = queue.poll()) != null) {
                    HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(r.path()))
                            .timeout(Duration.ofSeconds(20))
                            .header("Authorization", "Bearer " + r.token())
                            .POST(HttpRequest.BodyPublishers.ofByteArray(r.body()));
                    if (r.contentType() != null) {
                        b.header("Content-Type", r.contentType());
                    }
                    try {
                        HttpResponse<String> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                        answers.add(new Answer(r, resp.statusCode(), resp.body(), null));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    } catch (Exception e) {
                        answers.add(new Answer(r, -1, null, e));
                    }
                    int n = sent.incrementAndGet();
                    if (n % READY_PROBE_EVERY == 0) {
                        probeReady(server, http, n, notReady);
                    }
                }
            }));
        }
        for (var f : workers) {
            try {
                f.get(5, TimeUnit.MINUTES);
            } catch (Exception e) {
                throw new IllegalStateException("a fuzz worker did not finish", e);
            }
        }
        pool.shutdownNow();
        pool.awaitTermination(30, TimeUnit.SECONDS);
        probeReady(server, http, sent.get(), notReady);
        assertThat(notReady).as("/health/ready during the fuzz").isEmpty();
        assertThat(answers).hasSize(requests.size());
        return answers;
    }

    /** Records it when {@code /health/ready} is not 200 after {@code sent} fuzzed requests. */
    private static void probeReady(TestServer server, HttpClient http, int sent, List<String> notReady) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri("/health/ready"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                notReady.add("after " + sent + " requests: " + r.statusCode() + " " + r.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            notReady.add("after " + sent + " requests: " + e);
        }
    }

    // ---- the bodies --------------------------------------------------------------------------------

    private String target() {
        return targets.get(random.nextInt(targets.size()));
    }

    private String pathOf(String endpoint, String job) {
        return switch (endpoint) {
            case "create" -> API + "/jobs";
            case "batch" -> API + "/progress:batch";
            case "keys" -> API + "/keys";
            default -> API + "/jobs/" + job + "/" + endpoint;
        };
    }

    /** A body the endpoint would accept, sent with a credential that may not use it. */
    private Req validWith(int n, String token, int expected) {
        String endpoint = JOB_ENDPOINTS.get(random.nextInt(JOB_ENDPOINTS.size()));
        if (random.nextInt(6) == 0) {
            endpoint = random.nextBoolean() ? "batch" : "create";
        }
        String job = target();
        String body = switch (endpoint) {
            case "progress" -> "{\"current\":1,\"total\":2,\"message\":\"m\"}";
            case "complete" -> "{\"result\":{\"ok\":true}}";
            case "fail" -> "{\"error\":{\"message\":\"m\"}}";
            case "logs" -> "{\"level\":\"info\",\"message\":\"m\"}";
            case "batch" -> "[{\"jobId\":\"" + job + "\",\"current\":1}]";
            case "create" -> "{\"type\":\"t\",\"parentId\":\"" + job + "\"}";
            default -> random.nextBoolean() ? "{}" : "";
        };
        return new Req(n, endpoint, "credential-" + expected, pathOf(endpoint, job), token, "application/json",
                body.getBytes(StandardCharsets.UTF_8), List.of(job), expected);
    }

    private static final String[] STRATEGIES = {"random-json", "wrong-type", "deep", "huge-number", "nan-infinity",
            "invalid-utf8", "oversized", "control-chars", "duplicate-keys", "truncated", "unknown-field",
            "surrogate", "trailing-data", "content-type", "semantic", "not-an-object"};

    private Req hostile(int n) {
        String endpoint = ENDPOINTS.get(random.nextInt(ENDPOINTS.size()));
        String job = target();
        String strategy = STRATEGIES[random.nextInt(STRATEGIES.length)];
        String contentType = "application/json";
        byte[] body;
        switch (strategy) {
            case "random-json" -> body = utf8(randomJsonBody(endpoint, job));
            case "wrong-type" -> body = utf8(wrongType(endpoint, job));
            case "deep" -> body = utf8(deep(endpoint, job));
            case "huge-number" -> body = utf8(withField(endpoint, job, numericField(endpoint), hugeNumber()));
            case "nan-infinity" -> body = utf8(withField(endpoint, job, numericField(endpoint),
                    pick("NaN", "Infinity", "-Infinity", "+1", "01", ".5", "1.", "0x1F", "1e", "--1", "nan", "inf",
                            "1_000", "١")));
            case "invalid-utf8" -> body = invalidUtf8(endpoint, job);
            case "oversized" -> body = utf8(oversized(endpoint, job));
            case "control-chars" -> body = controlChars(endpoint, job);
            case "duplicate-keys" -> body = utf8(duplicateKeys(endpoint, job));
            case "truncated" -> {
                String valid = valid(endpoint, job, true);
                body = utf8(valid.substring(0, 1 + random.nextInt(valid.length() - 1)));
            }
            case "unknown-field" -> body = utf8(withField(endpoint, job, pick("curent", "Type", "status ", "", "id",
                    "version", "owner", "__proto__", "constructor", "jobId ", "x".repeat(300), "é", "\\u0000"),
                    randomValue(2)));
            case "surrogate" -> body = utf8(withField(endpoint, job, stringField(endpoint),
                    "\"" + pick("\\ud800", "\\udc00", "a\\ud83d", "\\ud83d\\ud83d", "\\udfff\\ud800") + "\""));
            case "trailing-data" -> body = utf8(valid(endpoint, job, false) + pick(" x", "{}", "[]", ",", "}", " 1",
                    "\u0000", "//c", "/*c*/"));
            case "content-type" -> {
                body = utf8(valid(endpoint, job, false));
                // (multipart/form-data is left out: its body is dropped, see aBodyThatIsNotJsonIsRefusedEvenWhereABodyIsOptional)
                contentType = pick("text/plain", "application/x-www-form-urlencoded", "application/xml", null,
                        "json", "text/json", "application/octet-stream", "text/html; charset=utf-8");
            }
            case "semantic" -> body = utf8(semantic(endpoint, job));
            default -> body = utf8(pick("null", "[]", "\"{}\"", "0", "true", "\u00a0", "\"\"", "[{}]", "1e400",
                    "{}}", "{{}}", "\uFEFF\uFEFF{}", "\"\\u0000\""));
        }
        if (endpoint.equals("batch") && strategy.equals("not-an-object")) {
            body = utf8(pick("{}", "null", "[]", "0", "{\"jobId\":\"" + job + "\"}", "[[]]", "\"[]\""));
        }
        return new Req(n, endpoint, strategy, pathOf(endpoint, job), TestServer.TOKEN, contentType, body,
                List.of(job), null);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }

    /** A valid value per kind. */
    private static String validValue(String endpoint, String field, Kind kind, String job) {
        return switch (field) {
            case "type", "name", "unit" -> "\"fuzz\"";
            case "project" -> "\"" + PROJECT + "\"";
            case "parentId", "jobId" -> "\"" + job + "\"";
            case "status" -> "\"pending\"";
            case "stage" -> "\"load\"";
            case "stageIndex" -> "0";
            case "current" -> "1";
            case "total" -> "10";
            case "percent" -> "10";
            case "message" -> "\"m\"";
            case "level" -> "\"info\"";
            case "scope" -> "\"read\"";
            case "expiresInSeconds" -> "60";
            case "maxAttempts" -> "2";
            case "error" -> "{\"message\":\"m\"}";
            case "stages" -> "[\"s1\",\"s2\"]";
            default -> switch (kind) {
                case S -> "\"x\"";
                case N, I -> "1";
                case O -> "{\"k\":1}";
                case B -> "false";
                case A -> "[]";
            };
        };
    }

    /** A valid body of the endpoint: its required fields, and (when {@code some}) a few optional ones. */
    private String valid(String endpoint, String job, boolean some) {
        if (endpoint.equals("batch")) {
            return "[{\"jobId\":\"" + job + "\",\"current\":1}]";
        }
        Map<String, String> fields = baseFields(endpoint, job, some);
        return object(fields);
    }

    private Map<String, String> baseFields(String endpoint, String job, boolean some) {
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, Kind> all = FIELDS.get(endpoint);
        for (Map.Entry<String, Kind> f : all.entrySet()) {
            boolean required = REQUIRED.getOrDefault(endpoint, Set.of()).contains(f.getKey());
            if (required || (some && random.nextInt(3) == 0 && !f.getKey().equals("parentId")
                    && !f.getKey().equals("stage") && !f.getKey().equals("stageIndex"))) {
                out.put(f.getKey(), validValue(endpoint, f.getKey(), f.getValue(), job));
            }
        }
        return out;
    }

    private static String object(Map<String, String> fields) {
        StringBuilder b = new StringBuilder("{");
        fields.forEach((k, v) -> {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append('"').append(k).append("\":").append(v);
        });
        return b.append('}').toString();
    }

    /** The endpoint's valid body with one field set to {@code raw} (for a batch, inside its entry). */
    private String withField(String endpoint, String job, String field, String raw) {
        Map<String, String> fields = endpoint.equals("batch") ? new LinkedHashMap<>(Map.of("jobId", "\"" + job + "\""))
                : baseFields(endpoint, job, true);
        fields.put(field, raw);
        String o = object(fields);
        return endpoint.equals("batch") ? "[" + o + "]" : o;
    }

    private String anyField(String endpoint) {
        List<String> names = new ArrayList<>(FIELDS.get(endpoint).keySet());
        if (names.isEmpty()) {
            return pick("x", "result", "force", "reason");
        }
        return names.get(random.nextInt(names.size()));
    }

    private String numericField(String endpoint) {
        List<String> names = new ArrayList<>();
        FIELDS.get(endpoint).forEach((k, v) -> {
            if (v == Kind.N || v == Kind.I) {
                names.add(k);
            }
        });
        if (names.isEmpty()) {
            return anyField(endpoint);
        }
        return names.get(random.nextInt(names.size()));
    }

    private String stringField(String endpoint) {
        List<String> names = new ArrayList<>();
        FIELDS.get(endpoint).forEach((k, v) -> {
            if (v == Kind.S) {
                names.add(k);
            }
        });
        if (names.isEmpty()) {
            return anyField(endpoint);
        }
        return names.get(random.nextInt(names.size()));
    }

    private String hugeNumber() {
        return pick("1e400", "-1e400", "1E99999999999", "-1e-99999999999999", "1" + "0".repeat(400),
                "9".repeat(1001), "1" + "0".repeat(400) + ".5", "123456789012345678901234567890e300",
                "1e2147483648", "-" + "9".repeat(500));
    }

    private String wrongType(String endpoint, String job) {
        if (endpoint.equals("complete")) {
            return withField(endpoint, job, pick("result", "error", "results"), pick(wrongValues(endpoint, "result")));
        }
        String field = anyField(endpoint);
        return withField(endpoint, job, field, pick(wrongValues(endpoint, field)));
    }

    /** Values of the wrong type for the field (any other JSON type; null where the field is required). */
    private static String[] wrongValues(String endpoint, String field) {
        if (endpoint.equals("complete")) {
            // a result may be any JSON value: what is wrong for it is what is wrong for any JSON
            return new String[] {"{\"a\":NaN}", "1e400", "\"\\ud800\"", "{\"k\":1,\"k\":1}", "[1e400]",
                    "{\"n\":-1e400}"};
        }
        Kind kind = FIELDS.get(endpoint).getOrDefault(field, Kind.O);
        List<String> wrong = new ArrayList<>();
        if (kind != Kind.S) {
            wrong.addAll(List.of("\"1\"", "\"true\"", "\"\"", "\"ssssssss\""));
        }
        if (kind != Kind.N && kind != Kind.I) {
            wrong.addAll(List.of("1", "-1", "0.5", "1e3"));
        }
        if (kind == Kind.I) {
            wrong.addAll(List.of("1.5", "-0.0001", "2.000000001"));
        }
        if (kind != Kind.B) {
            wrong.addAll(List.of("true", "false"));
        }
        if (kind != Kind.O) {
            wrong.addAll(List.of("{}", "{\"a\":1}"));
        }
        if (kind != Kind.A) {
            wrong.addAll(List.of("[]", "[1,2]", "[\"x\"]"));
        }
        if (REQUIRED.getOrDefault(endpoint, Set.of()).contains(field)) {
            wrong.add("null");
        }
        return wrong.toArray(String[]::new);
    }

    /** Every field of every endpoint with every value of a wrong type, once. */
    private List<Req> wrongTypeSweep(int firstN) {
        List<Req> out = new ArrayList<>();
        for (String endpoint : ENDPOINTS) {
            for (String field : FIELDS.get(endpoint).keySet()) {
                for (String value : wrongValues(endpoint, field)) {
                    String job = target();
                    out.add(new Req(firstN + out.size(), endpoint, "wrong-type-sweep", pathOf(endpoint, job),
                            TestServer.TOKEN, "application/json", utf8(withField(endpoint, job, field, value)),
                            List.of(job), null));
                }
            }
        }
        return out;
    }

    private String deep(String endpoint, String job) {
        int depth = 33 + random.nextInt(random.nextBoolean() ? 40 : 5000);
        String open = random.nextBoolean() ? "[" : "{\"a\":";
        String close = open.equals("[") ? "]" : "}";
        String nested = open.repeat(depth) + "1" + close.repeat(depth);
        return switch (random.nextInt(3)) {
            case 0 -> nested;
            case 1 -> withField(endpoint, job, anyField(endpoint), nested);
            default -> withField(endpoint, job, pick("metadata", "result", "fields", "error"), nested);
        };
    }

    private String oversized(String endpoint, String job) {
        if (endpoint.equals("complete")) {
            // complete takes bodies up to its result limit (1 MiB): beyond it
            return withField(endpoint, job, "result", random.nextBoolean()
                    ? "{\"r\":\"" + "r".repeat(1_050_000 + random.nextInt(100_000)) + "\"}"
                    : "{\"m\":{\"k\":\"" + "\\ud800".repeat(10) + "\"}}");
        }
        return switch (random.nextInt(6)) {
            // a message beyond 2 KiB, a name beyond 200 characters
            case 0 -> {
                String field = pick("message", "name", "type", "unit", "stage", "level", "project");
                int limit = field.equals("message") ? 2048 : 200;
                yield withField(endpoint, job, field, "\"" + "m".repeat(limit + 1 + random.nextInt(4000)) + "\"");
            }
            // metadata (or fields) beyond 8 KiB
            case 1 -> withField(endpoint, job, pick("metadata", "fields"),
                    "{\"k\":\"" + "v".repeat(8200 + random.nextInt(30_000)) + "\"}");
            // a body beyond 64 KiB
            case 2 -> withField(endpoint, job, anyField(endpoint),
                    "\"" + "x".repeat(65_537 + random.nextInt(150_000)) + "\"");
            // many fields
            case 3 -> {
                Map<String, String> f = new LinkedHashMap<>();
                for (int i = 0; i < 2000 + random.nextInt(3000); i++) {
                    f.put("f" + i, "1");
                }
                yield endpoint.equals("batch") ? "[" + object(f) + "]" : object(f);
            }
            // a long batch, or a long array in a body
            case 4 -> {
                if (endpoint.equals("batch")) {
                    StringBuilder b = new StringBuilder("[");
                    for (int i = 0; i < 1001; i++) {
                        b.append(i == 0 ? "" : ",").append("{\"jobId\":\"").append(job).append("\",\"current\":1}");
                    }
                    yield b.append(']').toString();
                }
                yield withField(endpoint, job, anyField(endpoint), "[" + "1,".repeat(20_000) + "1]");
            }
            // a result beyond 1 MiB (only sometimes: it is large)
            default -> random.nextInt(8) == 0
                    ? withField("complete", job, "result", "{\"r\":\"" + "r".repeat(1_100_000) + "\"}")
                    : withField(endpoint, job, "stages", "[" + "\"s\",".repeat(150) + "\"t\"]");
        };
    }

    private byte[] invalidUtf8(String endpoint, String job) {
        byte[][] bad = {
                {(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xFE}, {(byte) 0xC0, (byte) 0xAF},
                {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                {(byte) 0xE2, (byte) 0x82}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
                {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0x80}, {(byte) 0xC1, (byte) 0xBF}};
        String marker = "@@BAD@@";
        String text = switch (random.nextInt(3)) {
            case 0 -> withField(endpoint, job, stringField(endpoint), "\"a" + marker + "b\"");
            case 1 -> withField(endpoint, job, "k" + marker, "1");
            default -> withField(endpoint, job, pick("metadata", "fields", "result"), "{\"k\":\"" + marker + "\"}");
        };
        int at = text.indexOf(marker);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(utf8(text.substring(0, at)));
        out.writeBytes(bad[random.nextInt(bad.length)]);
        out.writeBytes(utf8(text.substring(at + marker.length())));
        return out.toByteArray();
    }

    private byte[] controlChars(String endpoint, String job) {
        String field = pick("message", "type", "name", "unit", "level", "stage", "project", "scope", "jobId");
        if (random.nextBoolean()) {
            // escaped: valid JSON, text a name or message may not hold
            String esc = pick("\\u0000", "\\u0001", "\\u0007", "\\u001b", "\\u001f", "\\b", "\\f");
            return utf8(withField(endpoint, job, field, "\"a" + esc + "b\""));
        }
        // raw: not JSON at all
        String text = withField(endpoint, job, field, "\"a@@C@@b\"");
        char c = pick('\u0000', '\u0001', '\u0007', '\n', '\r', '\t', '\u001b', '\u001f');
        return utf8(text.replace("@@C@@", String.valueOf(c)));
    }

    private String duplicateKeys(String endpoint, String job) {
        String field = anyField(endpoint);
        String v = validValue(endpoint, field, FIELDS.get(endpoint).getOrDefault(field, Kind.N), job);
        return switch (random.nextInt(3)) {
            case 0 -> {
                String o = "{\"" + field + "\":" + v + ",\"" + field + "\":" + v + "}";
                yield endpoint.equals("batch") ? "[{\"jobId\":\"" + job + "\",\"jobId\":\"" + job + "\"}]" : o;
            }
            case 1 -> withField(endpoint, job, pick("metadata", "fields", "result", "error"),
                    "{\"k\":1,\"k\":2}");
            default -> {
                String base = valid(endpoint, job, true);
                yield endpoint.equals("batch") ? base.replace("{", "{\"current\":2,")
                        : base.equals("{}") ? "{\"x\":1,\"x\":1}" : base.replaceFirst("\\}$", "," + base.substring(1));
            }
        };
    }

    private String semantic(String endpoint, String job) {
        return switch (endpoint) {
            case "progress", "batch" -> {
                String o = pick("\"current\":11,\"total\":10", "\"current\":-1", "\"total\":-5",
                        "\"percent\":101", "\"percent\":-0.5", "\"stageIndex\":99", "\"stageIndex\":-1",
                        "\"stage\":\"no-such-stage\",\"stageIndex\":0", "\"current\":1e308,\"total\":1", "\"unit\":\"\\u0000\"",
                        "\"stage\":\"\"", "\"metadata\":[1]", "\"metadata\":\"x\"");
                yield endpoint.equals("batch") ? "[{\"jobId\":\"" + job + "\"," + o + "}]" : "{" + o + "}";
            }
            case "create" -> pick("{\"type\":\"\"}", "{\"type\":\"  \"}", "{\"type\":\"t\",\"status\":\"completed\"}",
                    "{\"type\":\"t\",\"status\":\"bogus\"}", "{\"type\":\"t\",\"maxAttempts\":0}",
                    "{\"type\":\"t\",\"maxAttempts\":101}", "{\"type\":\"t\",\"parentId\":\"garbage\"}",
                    "{\"type\":\"t\",\"parentId\":\"j_00000000000000000000000000\"}",
                    "{\"type\":\"t\",\"stages\":[\"a\",\"a\"]}", "{\"type\":\"t\",\"stages\":[{\"name\":\"a\",\"weight\":-1}]}",
                    "{\"type\":\"t\",\"stages\":[{\"name\":\"a\",\"weight\":0}]}", "{\"type\":\"t\",\"total\":-1}",
                    "{\"type\":\"t\",\"stages\":[{}]}", "{\"type\":\"t\",\"project\":\"\"}");
            case "fail" -> pick("{\"error\":{}}", "{\"error\":{\"code\":\"x\"}}", "{\"error\":\"boom\"}",
                    "{\"error\":{\"message\":\"m\",\"stack\":\"x\"}}", "{\"error\":{\"message\":null}}");
            case "logs" -> pick("{\"level\":\"fatal\",\"message\":\"m\"}", "{\"level\":\"\",\"message\":\"m\"}",
                    "{\"level\":\"info\"}", "{\"message\":\"m\"}", "{\"level\":\"info\",\"message\":\"m\",\"fields\":[]}",
                    "{\"level\":\"info\",\"message\":\"m\",\"fields\":\"f\"}");
            case "keys" -> pick("{\"project\":\"p\",\"scope\":\"root\"}", "{\"project\":\"p\",\"scope\":\"read\","
                            + "\"expiresInSeconds\":0}", "{\"project\":\"p\",\"scope\":\"read\",\"expiresInSeconds\":-1}",
                    "{\"project\":\"p\",\"scope\":\"read\",\"expiresInSeconds\":1.5}", "{\"project\":\"\",\"scope\":\"read\"}",
                    "{\"scope\":\"read\"}", "{\"project\":\"p\"}", "{\"project\":\"p\",\"scope\":\"READ\"}",
                    "{\"project\":\"p\",\"scope\":\"read\",\"expiresInSeconds\":1e400}",
                    "{\"project\":\"p\",\"scope\":\"read\",\"expiresInSeconds\":99999999999999999999}");
            case "complete" -> pick("{\"result\":1e400}", "{\"result\":{\"a\":NaN}}", "{\"result\":{\"s\":\"\\ud800\"}}",
                    "{\"results\":{}}", "{\"result\":{},\"extra\":1}");
            default -> pick("{\"force\":true}", "{\"reason\":\"x\"}", "{\"x\":null}", "{\"\":1}");
        };
    }

    /** Random JSON of a random shape; on a job, mostly with one field no endpoint accepts. */
    private String randomJsonBody(String endpoint, String job) {
        int shape = random.nextInt(10);
        if (shape < 2) {
            String v = randomValue(4);
            // an object at the top could be a valid body: give it a field no endpoint accepts
            return v.startsWith("{") ? "{\"zz\":0" + (v.equals("{}") ? "}" : "," + v.substring(1)) : v;
        }
        if (endpoint.equals("batch")) {
            StringBuilder b = new StringBuilder("[");
            int n = 1 + random.nextInt(5);
            for (int i = 0; i < n; i++) {
                Map<String, String> f = randomFields(endpoint, job);
                f.put("jobId", random.nextInt(4) == 0 ? randomValue(1) : "\"" + target() + "\"");
                f.put("\u00a7bad", "1");
                b.append(i == 0 ? "" : ",").append(object(f));
            }
            return b.append(']').toString();
        }
        Map<String, String> f = randomFields(endpoint, job);
        if (!endpoint.equals("keys") && !endpoint.equals("create") || f.isEmpty() || random.nextInt(3) > 0) {
            f.put(pick("zz", "Message", "current ", "\u00e9t\u00e9", "jobs"), randomValue(2));
        }
        return object(f);
    }

    private Map<String, String> randomFields(String endpoint, String job) {
        Map<String, String> f = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(FIELDS.get(endpoint).keySet());
        int n = random.nextInt(6);
        for (int i = 0; i < n; i++) {
            String name = names.isEmpty() || random.nextInt(4) == 0 ? randomKey() : names.get(random.nextInt(names.size()));
            f.put(name, random.nextInt(3) == 0 && FIELDS.get(endpoint).containsKey(name)
                    ? validValue(endpoint, name, FIELDS.get(endpoint).get(name), job) : randomValue(3));
        }
        return f;
    }

    private String randomKey() {
        return pick("a", "type", "metadata", "k" + random.nextInt(100), "\\u00e9", "\\\"q", "\\\\", " ", "__proto__",
                "0", "-1", "$ref");
    }

    private String randomValue(int depth) {
        int kind = random.nextInt(depth <= 0 ? 5 : 7);
        return switch (kind) {
            case 0 -> "null";
            case 1 -> random.nextBoolean() ? "true" : "false";
            case 2 -> randomNumber();
            case 3, 4 -> randomString();
            case 5 -> {
                StringBuilder b = new StringBuilder("[");
                int n = random.nextInt(5);
                for (int i = 0; i < n; i++) {
                    b.append(i == 0 ? "" : ",").append(randomValue(depth - 1));
                }
                yield b.append(']').toString();
            }
            default -> {
                StringBuilder b = new StringBuilder("{");
                int n = random.nextInt(5);
                Set<String> keys = new LinkedHashSet<>();
                for (int i = 0; i < n; i++) {
                    keys.add(randomKey());
                }
                int i = 0;
                for (String k : keys) {
                    b.append(i++ == 0 ? "" : ",").append('"').append(k).append("\":").append(randomValue(depth - 1));
                }
                yield b.append('}').toString();
            }
        };
    }

    private String randomNumber() {
        return switch (random.nextInt(6)) {
            case 0 -> Integer.toString(random.nextInt());
            case 1 -> Long.toString(random.nextLong());
            case 2 -> Double.toString(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
            case 3 -> random.nextInt(1000) + "e" + (random.nextInt(800) - 400);
            case 4 -> "-0";
            default -> "0." + "0".repeat(random.nextInt(30)) + "1";
        };
    }

    private String randomString() {
        StringBuilder b = new StringBuilder("\"");
        int n = random.nextInt(random.nextInt(10) == 0 ? 3000 : 20);
        for (int i = 0; i < n; i++) {
            int c = random.nextInt(12);
            switch (c) {
                case 0 -> b.append("\\n");
                case 1 -> b.append("\\\"");
                case 2 -> b.append("\\u").append(String.format("%04x", random.nextInt(0x10000)));
                case 3 -> b.append("\u00e9\u4e2d");
                case 4 -> b.appendCodePoint(0x1F600 + random.nextInt(50));
                case 5 -> b.append("\\\\");
                default -> b.append((char) ('a' + random.nextInt(26)));
            }
        }
        return b.append('"').toString();
    }
}
