package dev.herald.server.security;

import dev.herald.server.support.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import dev.herald.server.auth.AuthOptions;
import dev.herald.server.auth.JwtOptions;
import dev.herald.server.support.SseClient;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.herald.server.security.Sec.API;
import static dev.herald.server.security.Sec.UNKNOWN_ID;
import static dev.herald.server.security.Sec.assertError;
import static dev.herald.server.security.Sec.withoutId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** JWTs signed with an HS256 secret (API §5): claims enforced on REST, SSE and WebSocket; bad tokens refused. */
class JwtAccessTest {
    /** 64 bytes, so a token can also be signed with HS512 using it (an algorithm the server must refuse). */
    static final String SECRET = "herald-test-secret-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG";
    private static TestServer server;
    private static String aJob;
    private static String bJob;

    @BeforeAll
    static void start() {
        assertThat(SECRET.getBytes(StandardCharsets.UTF_8)).hasSize(64);
        server = TestServer.start(o -> o.withAuth(AuthOptions.defaults().withJwt(JwtOptions.hs256(SECRET)
                // streams end at exp plus the leeway: keep it short so expiry is seen quickly
                .withLeeway(java.time.Duration.ofSeconds(1)))));
        aJob = Sec.adminJob(server, "{\"type\":\"a-work\",\"project\":\"a\",\"status\":\"running\"}");
        bJob = Sec.adminJob(server, "{\"type\":\"b-work\",\"project\":\"b\",\"status\":\"running\"}");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String token(String sub, List<String> projects, String scope) {
        return Jwts.hs256(SECRET, Jwts.claims(sub, projects, scope, 3600));
    }

    @Test
    void aValidTokenWorksWithItsSubjectAsOwnerAndOnlyInItsProjects() {
        String alice = token("alice", List.of("a"), "write");
        JsonNode job = Sec.create(server, alice, "{\"type\":\"from-jwt\"}");
        assertThat(job.get("owner").asText()).as("sub is the owner").isEqualTo("alice");
        assertThat(job.get("project").asText()).as("the only project is the default").isEqualTo("a");
        String id = job.get("id").asText();
        assertThat(Sec.post(server, API + "/jobs/" + id + "/progress", alice, "{\"current\":1,\"total\":2}")
                .statusCode()).isEqualTo(202);
        assertThat(Sec.get(server, API + "/jobs/" + aJob, alice).statusCode()).isEqualTo(200);
        assertThat(Sec.get(server, API + "/jobs?owner=alice", alice).body()).contains(id);

        HttpResponse<String> inB = Sec.post(server, API + "/jobs", alice, "{\"type\":\"x\",\"project\":\"b\"}");
        assertThat(inB.statusCode()).as(inB.body()).isBetween(400, 499).isNotEqualTo(429);
        HttpResponse<String> foreign = Sec.get(server, API + "/jobs/" + bJob, alice);
        HttpResponse<String> unknown = Sec.get(server, API + "/jobs/" + UNKNOWN_ID, alice);
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(foreign.body()).isEqualTo(unknown.body());
        HttpResponse<String> write = Sec.post(server, API + "/jobs/" + bJob + "/progress", alice, "{\"current\":1}");
        assertThat(write.statusCode()).isEqualTo(404);
        assertThat(write.body()).isEqualTo(
                Sec.post(server, API + "/jobs/" + UNKNOWN_ID + "/progress", alice, "{\"current\":1}").body());
        Sec.json(Sec.get(server, API + "/jobs?limit=500", alice)).get("items")
                .forEach(j -> assertThat(j.get("project").asText()).isEqualTo("a"));

        try (SseClient own = Sec.sse(server, API + "/jobs/" + aJob + "/events", alice);
             SseClient other = Sec.sseWithQueryToken(server, API + "/jobs/" + bJob + "/events", alice);
             SseClient none = Sec.sseWithQueryToken(server, API + "/jobs/" + UNKNOWN_ID + "/events", alice);
             SseClient otherProject = Sec.sse(server, API + "/events?project=b", alice)) {
            assertThat(Sec.next(own).event()).isEqualTo("snapshot");
            assertThat(other.status()).isEqualTo(404);
            assertThat(other.errorBody()).isEqualTo(none.errorBody());
            assertThat(otherProject.status()).isEqualTo(404);
        }
        try (WsClient other = WsClient.connect(server, API + "/jobs/" + bJob + "/ws", alice, false);
             WsClient none = WsClient.connect(server, API + "/jobs/" + UNKNOWN_ID + "/ws", alice, true)) {
            assertThat(withoutId(other.nextOfType("error"), bJob))
                    .isEqualTo(withoutId(none.nextOfType("error"), UNKNOWN_ID));
        }
    }

    @Test
    void aTokenOfEveryProjectReachesEveryProject() {
        String bob = token("bob", List.of("*"), "write");
        JsonNode inB = Sec.create(server, bob, "{\"type\":\"x\",\"project\":\"b\"}");
        assertThat(inB.get("project").asText()).isEqualTo("b");
        assertThat(inB.get("owner").asText()).isEqualTo("bob");
        assertThat(Sec.create(server, bob, "{\"type\":\"x\",\"project\":\"new-project\"}").get("project").asText())
                .isEqualTo("new-project");
        assertThat(Sec.create(server, bob, "{\"type\":\"x\"}").get("project").asText())
                .as("no single project: the default").isEqualTo("default");
        assertThat(Sec.get(server, API + "/jobs/" + aJob, bob).statusCode()).isEqualTo(200);
        assertThat(Sec.get(server, API + "/jobs/" + bJob, bob).statusCode()).isEqualTo(200);
        assertThat(Sec.ids(Sec.json(Sec.get(server, API + "/jobs?limit=500", bob)))).contains(aJob, bJob);
        try (SseClient project = Sec.sse(server, API + "/events?project=b", bob)) {
            assertThat(project.status()).isEqualTo(200);
            assertThat(Sec.next(project).event()).isEqualTo("snapshot");
        }

        String twoProjects = token("carl", List.of("a", "b"), "read");
        assertThat(Sec.get(server, API + "/jobs/" + aJob, twoProjects).statusCode()).isEqualTo(200);
        assertThat(Sec.get(server, API + "/jobs/" + bJob, twoProjects).statusCode()).isEqualTo(200);
        assertThat(Sec.get(server, API + "/jobs?project=new-project", twoProjects).body()).contains("\"items\":[]");
    }

    @Test
    void aJobsClaimLimitsReadsToThoseJobsAndTheirDescendants() {
        String parent = Sec.adminJob(server, "{\"type\":\"p\",\"project\":\"a\",\"status\":\"running\"}");
        String sibling = Sec.adminJob(server, "{\"type\":\"s\",\"project\":\"a\",\"status\":\"running\"}");
        Map<String, Object> claims = Jwts.with(Jwts.claims("dora", List.of("a"), "write", 3600), "jobs",
                List.of(parent));
        String dora = Jwts.hs256(SECRET, claims);

        // a child made under the listed job, by the token itself, and a grandchild made by someone else
        JsonNode child = Sec.create(server, dora, "{\"type\":\"c\",\"parentId\":\"" + parent + "\"}");
        assertThat(child.get("owner").asText()).isEqualTo("dora");
        String childId = child.get("id").asText();
        String grandchild = Sec.adminJob(server, "{\"type\":\"g\",\"parentId\":\"" + childId + "\"}");

        for (String readable : List.of(parent, childId, grandchild)) {
            assertThat(Sec.get(server, API + "/jobs/" + readable, dora).statusCode()).as(readable).isEqualTo(200);
            assertThat(Sec.get(server, API + "/jobs/" + readable + "/logs", dora).statusCode()).isEqualTo(200);
        }
        assertThat(Sec.post(server, API + "/jobs/" + childId + "/progress", dora, "{\"current\":1,\"total\":4}")
                .statusCode()).isEqualTo(202);

        // the sibling, and a job of the same project it does not name: exactly like unknown jobs
        for (String hidden : List.of(sibling, aJob)) {
            for (String[] req : List.of(new String[] {"GET", "/jobs/{id}", null},
                    new String[] {"GET", "/jobs/{id}/logs", null},
                    new String[] {"GET", "/jobs/{id}/children", null},
                    new String[] {"GET", "/jobs/{id}/result", null},
                    new String[] {"GET", "/jobs/{id}?waitForVersion=0&timeoutMs=1000", null},
                    new String[] {"POST", "/jobs/{id}/progress", "{\"current\":1}"},
                    new String[] {"POST", "/jobs/{id}/cancel", null},
                    new String[] {"POST", "/jobs", "{\"type\":\"c\",\"parentId\":\"{id}\"}"})) {
                String path = API + req[1];
                HttpResponse<String> h = Sec.call(server, req[0], path.replace("{id}", hidden), dora,
                        req[2] == null ? null : req[2].replace("{id}", hidden));
                HttpResponse<String> u = Sec.call(server, req[0], path.replace("{id}", UNKNOWN_ID), dora,
                        req[2] == null ? null : req[2].replace("{id}", UNKNOWN_ID));
                assertThat(h.statusCode()).as(req[0] + " " + req[1] + ": " + h.body()).isEqualTo(404);
                assertThat(h.body()).as(req[0] + " " + req[1]).isEqualTo(u.body());
            }
        }
        List<String> listed = Sec.ids(Sec.json(Sec.get(server, API + "/jobs?limit=500", dora)));
        assertThat(listed).contains(parent, childId, grandchild).doesNotContain(sibling, aJob, bJob);
        assertThat(Sec.ids(Sec.json(Sec.get(server, API + "/jobs/" + parent + "/children", dora))))
                .containsExactly(childId);

        // streams: the listed subtree yes; the sibling and the whole project no
        try (SseClient sub = Sec.sse(server, API + "/jobs/" + parent + "/events?descendants=true", dora);
             SseClient one = Sec.sse(server, API + "/jobs/" + grandchild + "/events", dora);
             SseClient list = Sec.sse(server, API + "/events?jobs=" + parent + "," + childId, dora)) {
            assertThat(sub.status()).isEqualTo(200);
            List<String> snapshots = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                SseClient.Event e = Sec.next(sub);
                assertThat(e.event()).isEqualTo("snapshot");
                snapshots.add(Sec.tree(e.data()).get("jobId").asText());
            }
            assertThat(snapshots).containsExactlyInAnyOrder(parent, childId, grandchild);
            assertThat(Sec.next(one).event()).isEqualTo("snapshot");
            assertThat(list.status()).isEqualTo(200);
        }
        for (String p : List.of("/jobs/{id}/events", "/jobs/{id}/events?descendants=true", "/events?jobs={id}",
                "/events?jobs=" + parent + ",{id}")) {
            try (SseClient h = Sec.sse(server, API + p.replace("{id}", sibling), dora);
                 SseClient u = Sec.sse(server, API + p.replace("{id}", UNKNOWN_ID), dora)) {
                assertThat(h.status()).as(p).isEqualTo(404);
                assertThat(h.errorBody()).as(p).isEqualTo(u.errorBody());
            }
        }
        try (SseClient project = Sec.sse(server, API + "/events?project=a", dora)) {
            assertThat(project.status()).as("a project stream for a token limited to some jobs").isEqualTo(404);
            assertThat(Sec.tree(project.errorBody()).path("error").path("code").asText()).isEqualTo("not_found");
        }
        try (WsClient h = WsClient.connect(server, API + "/jobs/" + sibling + "/ws", dora, false);
             WsClient u = WsClient.connect(server, API + "/jobs/" + UNKNOWN_ID + "/ws", dora, false);
             WsClient ok = WsClient.connect(server, API + "/jobs/" + childId + "/ws", dora, false)) {
            assertThat(withoutId(h.nextOfType("error"), sibling)).isEqualTo(withoutId(u.nextOfType("error"), UNKNOWN_ID));
            List<JsonNode> frames = ok.until(n -> n.path("type").asText().equals("snapshot"));
            assertThat(frames.get(0).path("type").asText()).isEqualTo("subscribed");
            h.send("{\"type\":\"subscribe\",\"jobs\":[\"" + sibling + "\"],\"descendants\":true}");
            assertThat(Sec.tree(h.nextOfType("error")).path("code").asText()).isEqualTo("not_found");
        }
    }

    @Test
    void aJobsClaimCannotReachAnotherJobThroughItsIdempotencyKey() {
        // POST /jobs with an Idempotency-Key already used in the project answers the job made with it (API §1);
        // for a token limited to some jobs, that job may be one it may not read: it must not be shown
        String idem = "idem-" + System.nanoTime();
        HttpResponse<String> made = Sec.createWithKey(server, TestServer.TOKEN, idem,
                "{\"type\":\"hidden\",\"project\":\"a\",\"metadata\":{\"secret\":\"s3cr3t\"}}");
        assertThat(made.statusCode()).isEqualTo(201);
        String hidden = Sec.json(made).get("id").asText();
        String listed = Sec.adminJob(server, "{\"type\":\"listed\",\"project\":\"a\",\"status\":\"running\"}");
        String limited = Jwts.hs256(SECRET, Jwts.with(Jwts.claims("lim", List.of("a"), "write", 3600), "jobs",
                List.of(listed)));
        assertThat(Sec.get(server, API + "/jobs/" + hidden, limited).statusCode()).isEqualTo(404);
        for (String body : List.of("{\"type\":\"probe\"}", "{\"type\":\"probe\",\"parentId\":\"" + listed + "\"}")) {
            HttpResponse<String> probe = Sec.createWithKey(server, limited, idem, body);
            assertThat(probe.body()).as("POST /jobs %s with the Idempotency-Key of a job the token may not read -> %d",
                    body, probe.statusCode()).doesNotContain(hidden).doesNotContain("s3cr3t");
        }
    }

    @Test
    void aReadScopeCannotWrite() {
        String reader = token("rita", List.of("a"), "read");
        JsonNode before = Sec.job(server, aJob);
        assertThat(Sec.get(server, API + "/jobs/" + aJob, reader).statusCode()).isEqualTo(200);
        try (SseClient sse = Sec.sse(server, API + "/jobs/" + aJob + "/events", reader);
             WsClient ws = WsClient.connect(server, API + "/jobs/" + aJob + "/ws", reader, false)) {
            assertThat(Sec.next(sse).event()).isEqualTo("snapshot");
            ws.until(n -> n.path("type").asText().equals("snapshot"));
        }
        assertError(Sec.post(server, API + "/jobs", reader, "{\"type\":\"x\"}"), 401, "unauthorized");
        for (String p : List.of("/progress", "/start", "/cancel", "/heartbeat", "/retry")) {
            assertError(Sec.post(server, API + "/jobs/" + aJob + p, reader, p.equals("/progress") ? "{\"current\":1}" : null),
                    401, "unauthorized");
        }
        assertError(Sec.post(server, API + "/jobs/" + aJob + "/logs", reader,
                "{\"level\":\"info\",\"message\":\"x\"}"), 401, "unauthorized");
        assertError(Sec.post(server, API + "/progress:batch", reader, "[{\"jobId\":\"" + aJob + "\",\"current\":1}]"),
                401, "unauthorized");
        assertThat(Sec.job(server, aJob)).isEqualTo(before);
    }

    @Test
    void badTokensAreRefusedWith401OnRestSseAndWebSocket() {
        Map<String, Object> good = Jwts.claims("mallory", List.of("a"), "read", 3600);
        String valid = Jwts.hs256(SECRET, good);
        assertThat(Sec.get(server, API + "/jobs", valid).statusCode()).as("the control token works").isEqualTo(200);

        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("alg none, no signature", Jwts.none(good, ""));
        bad.put("alg none, a signature", Jwts.none(good, Jwts.b64("sig")));
        bad.put("alg none, the valid token's signature", Jwts.none(good, valid.substring(valid.lastIndexOf('.') + 1)));
        bad.put("HS512 with the right secret", Jwts.hs(JWSAlgorithm.HS512, SECRET.getBytes(StandardCharsets.UTF_8), good));
        bad.put("RS256", Jwts.rs256(Jwts.rsa(), good));
        bad.put("ES256", Jwts.es256(Jwts.ec(), good));
        bad.put("expired an hour ago", Jwts.hs256(SECRET, Jwts.claims("mallory", List.of("a"), "read", -3600)));
        bad.put("missing exp", Jwts.hs256(SECRET, Jwts.with(good, "exp", null)));
        bad.put("exp as a string", Jwts.hs256(SECRET, Jwts.with(good, "exp", "99999999999")));
        bad.put("tampered payload", Jwts.withPayload(valid,
                Jwts.with(Jwts.with(good, "projects", List.of("*")), "scope", "write")));
        bad.put("tampered exp", Jwts.withPayload(Jwts.hs256(SECRET, Jwts.claims("mallory", List.of("a"), "read", -3600)),
                good));
        bad.put("bad signature", Jwts.badSignature(valid));
        bad.put("signed with another secret", Jwts.hs256(SECRET.replace('h', 'H'), good));
        bad.put("no projects", Jwts.hs256(SECRET, Jwts.with(good, "projects", List.of())));
        bad.put("no subject", Jwts.hs256(SECRET, Jwts.with(good, "sub", null)));
        bad.put("two parts", valid.substring(0, valid.lastIndexOf('.')));

        String reference = Sec.get(server, API + "/jobs", "not-a-token").body();
        for (Map.Entry<String, String> e : bad.entrySet()) {
            String what = e.getKey();
            String t = e.getValue();
            HttpResponse<String> r = Sec.get(server, API + "/jobs", t);
            assertError(r, 401, "unauthorized");
            assertThat(r.body()).as("%s: told apart from any other bad token", what).isEqualTo(reference);
            assertThat(Sec.get(server, API + "/jobs/" + aJob, t).statusCode()).as(what).isEqualTo(401);
            assertThat(Sec.post(server, API + "/jobs", t, "{\"type\":\"x\"}").statusCode()).as(what).isEqualTo(401);
            try (SseClient sse = Sec.sseWithQueryToken(server, API + "/jobs/" + aJob + "/events", t);
                 SseClient sse2 = Sec.sse(server, API + "/events?project=a", t)) {
                assertThat(sse.status()).as("SSE, %s", what).isEqualTo(401);
                assertThat(sse2.status()).as("SSE, %s", what).isEqualTo(401);
            }
            assertThat(WsClient.refusal(server, API + "/jobs/" + aJob + "/ws", t, false).status()).as("WS, %s", what)
                    .isEqualTo(401);
        }
    }

    @Test
    void streamsOpenedWithATokenEndWhenItExpires() {
        // exp is in whole seconds: this token expires within 3 to 4 s
        String brief = Jwts.hs256(SECRET, Jwts.claims("ephemeral", List.of("a"), "read", 4));
        try (SseClient sse = Sec.sse(server, API + "/jobs/" + aJob + "/events", brief);
             SseClient project = Sec.sseWithQueryToken(server, API + "/events?project=a", brief);
             WsClient ws = WsClient.connect(server, API + "/jobs/" + aJob + "/ws", brief, false);
             WsClient ws2 = WsClient.connect(server, API + "/ws", brief, true)) {
            assertThat(sse.status()).isEqualTo(200);
            assertThat(Sec.next(sse).event()).isEqualTo("snapshot");
            assertThat(Sec.next(project).event()).isEqualTo("snapshot");
            ws.until(n -> n.path("type").asText().equals("snapshot"));
            ws2.send("{\"type\":\"subscribe\",\"jobs\":[\"" + aJob + "\"]}");
            ws2.until(n -> n.path("type").asText().equals("snapshot"));

            await().atMost(Duration.ofSeconds(15)).until(() -> sse.ended() && project.ended());
            List<String> comments = new ArrayList<>();
            sse.drain().stream().filter(e -> e.event().equals("comment")).forEach(e -> comments.add(e.data()));
            assertThat(comments).as("the SSE stream ends with a comment telling why").anyMatch(c -> c.contains("expired"));
            for (WsClient w : List.of(ws, ws2)) {
                JsonNode error = Sec.tree(w.nextOfType("error"));
                assertThat(error.path("code").asText()).isEqualTo("unauthorized");
                WsClient.Closed closed = w.awaitClosed(Duration.ofSeconds(10));
                assertThat(closed).as("closed after the unauthorized frame").isNotNull();
                assertThat(closed.code()).isEqualTo(1008);
            }
        }
    }
}
