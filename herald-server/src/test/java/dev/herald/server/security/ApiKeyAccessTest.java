package dev.herald.server.security;

import dev.herald.server.support.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.support.SseClient;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.herald.server.security.Sec.API;
import static dev.herald.server.security.Sec.UNKNOWN_ID;
import static dev.herald.server.security.Sec.assertError;
import static dev.herald.server.security.Sec.withoutId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * API keys (API §5) over REST, SSE and WebSocket: made with the admin token and shown once, scoped to one
 * project, read or write, revoked and expiring; a job of another project is refused exactly like an unknown one.
 */
class ApiKeyAccessTest {
    private static TestServer server;
    /** Project b, running, with a log line and a child. */
    private static String bRunning;
    private static String bChild;
    /** Project b, completed with a result. */
    private static String bDone;
    /** Project a, running. */
    private static String aJob;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        bRunning = Sec.adminJob(server, "{\"type\":\"b-work\",\"project\":\"b\",\"status\":\"running\",\"total\":10}");
        assertThat(Sec.post(server, API + "/jobs/" + bRunning + "/logs", TestServer.TOKEN,
                "{\"level\":\"info\",\"message\":\"secret of b\"}").statusCode()).isEqualTo(202);
        bChild = Sec.adminJob(server, "{\"type\":\"b-child\",\"parentId\":\"" + bRunning + "\",\"status\":\"running\"}");
        bDone = Sec.adminJob(server, "{\"type\":\"b-done\",\"project\":\"b\",\"status\":\"running\"}");
        assertThat(Sec.post(server, API + "/jobs/" + bDone + "/complete", TestServer.TOKEN,
                "{\"result\":{\"answer\":42}}").statusCode()).isEqualTo(200);
        aJob = Sec.adminJob(server, "{\"type\":\"a-work\",\"project\":\"a\",\"status\":\"running\",\"total\":10}");
        // the children summary follows asynchronously: let it settle before tests compare jobs before and after
        await().atMost(Duration.ofSeconds(10)).until(() ->
                Sec.job(server, bRunning).path("children").path("total").asInt() == 1);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void keysAreMadeWithTheAdminTokenAndTheirSecretIsShownOnlyOnce() {
        JsonNode created = Sec.createKey(server, "a", "write", "worker-a", null);
        JsonNode key = created.get("key");
        String token = created.get("token").asText();
        assertThat(key.get("id").asText()).isNotBlank();
        assertThat(key.get("name").asText()).isEqualTo("worker-a");
        assertThat(key.get("project").asText()).isEqualTo("a");
        assertThat(key.get("scope").asText()).isEqualTo("write");
        assertThat(key.get("createdAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(key.get("expiresAt").isNull()).isTrue();
        assertThat(key.get("revokedAt").isNull()).isTrue();
        assertThat(token).startsWith("hk_").contains(key.get("id").asText());
        String secret = token.substring(token.lastIndexOf(key.get("id").asText()) + key.get("id").asText().length() + 1);

        HttpResponse<String> list = Sec.get(server, API + "/keys", TestServer.TOKEN);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).as("GET /keys never shows a token or its secret")
                .doesNotContain(token).doesNotContain(secret).doesNotContain("\"token\"");
        JsonNode listed = null;
        for (JsonNode k : Sec.json(list).get("items")) {
            if (k.get("id").asText().equals(key.get("id").asText())) {
                listed = k;
            }
        }
        assertThat(listed).as("the new key is listed").isNotNull();
        assertThat(listed.get("project").asText()).isEqualTo("a");
        assertThat(listed.get("scope").asText()).isEqualTo("write");
        assertThat(listed.has("secretHash")).isFalse();

        // the token works; in the URL only for streams (URLs end up in logs)
        assertThat(Sec.get(server, API + "/jobs", token).statusCode()).isEqualTo(200);
        assertError(Sec.get(server, API + "/jobs?access_token=" + token, null), 401, "unauthorized");
        assertError(Sec.get(server, API + "/jobs/" + aJob + "?access_token=" + token, null), 401, "unauthorized");
        // and only it: a wrong secret, a made-up key, a truncated one
        char last = token.charAt(token.length() - 1);
        String wrongSecret = token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');
        for (String bad : List.of(wrongSecret, "hk_aaaaaaaaaaaa_" + "A".repeat(43), token.substring(0, token.length() - 1),
                "hk_", token + "x")) {
            assertError(Sec.get(server, API + "/jobs", bad), 401, "unauthorized");
        }
    }

    @Test
    void onlyAnAdminCredentialOfAllProjectsManagesKeys() {
        String write = Sec.keyToken(server, "a", "write");
        String read = Sec.keyToken(server, "a", "read");
        String adminOfA = Sec.keyToken(server, "a", "admin");
        String body = "{\"project\":\"a\",\"scope\":\"write\"}";
        for (String t : List.of(write, read, adminOfA)) {
            assertError(Sec.post(server, API + "/keys", t, body), 401, "unauthorized");
            assertError(Sec.get(server, API + "/keys", t), 401, "unauthorized");
        }
        String id = Sec.createKey(server, "a", "read", null, null).get("key").get("id").asText();
        assertError(Sec.post(server, API + "/keys/" + id + "/revoke", write, null), 401, "unauthorized");
        assertThat(Sec.get(server, API + "/jobs", Sec.keyToken(server, "a", "read")).statusCode()).isEqualTo(200);

        String adminOfAll = Sec.keyToken(server, "*", "admin");
        HttpResponse<String> r = Sec.post(server, API + "/keys", adminOfAll, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(Sec.get(server, API + "/keys", adminOfAll).statusCode()).isEqualTo(200);
    }

    @Test
    void keyNamesAndProjectsAreCheckedLikeEveryOtherName() {
        // API §6 and §1: names are text of at most 200 characters, without control characters, and Unicode
        // (an unpaired surrogate is refused in every job field; here it would be stored as '?')
        int before = Sec.json(Sec.get(server, API + "/keys", TestServer.TOKEN)).get("items").size();
        for (String body : List.of(
                "{\"project\":\"a\",\"scope\":\"read\",\"name\":\"\\ud800\"}",
                "{\"project\":\"a\",\"scope\":\"read\",\"name\":\"x\\udfff\\ud800y\"}",
                "{\"project\":\"\\udc00\",\"scope\":\"read\"}",
                "{\"project\":\"a\\u0000\",\"scope\":\"read\"}",
                "{\"project\":\"" + "p".repeat(201) + "\",\"scope\":\"read\"}",
                "{\"project\":\"a\",\"scope\":\"root\"}",
                "{\"project\":\"a\",\"scope\":\"read\",\"expiresInSeconds\":0}",
                "{\"project\":\"a\",\"scope\":\"read\",\"expiresInSeconds\":1.5}",
                "{\"project\":\"a\",\"scope\":\"read\",\"expiresInSeconds\":1e400}",
                // a long, but no expiry fits a timestamp that far ahead
                "{\"project\":\"a\",\"scope\":\"read\",\"expiresInSeconds\":9223372036854775807}",
                "{\"project\":\"a\",\"scope\":\"read\",\"token\":\"hk_mine\"}")) {
            HttpResponse<String> r = Sec.post(server, API + "/keys", TestServer.TOKEN, body);
            assertThat(r.statusCode()).as("POST /keys %s -> %s", body, r.body()).isEqualTo(400);
        }
        assertThat(Sec.json(Sec.get(server, API + "/keys", TestServer.TOKEN)).get("items")).as("no key was made")
                .hasSize(before);
    }

    @Test
    void aWriteKeyCreatesInItsOnlyProjectAndNowhereElse() {
        String token = Sec.keyToken(server, "a", "write");
        JsonNode job = Sec.create(server, token, "{\"type\":\"from-key\"}");
        assertThat(job.get("project").asText()).as("the key's only project is the default").isEqualTo("a");
        assertThat(job.get("owner").asText()).isNotBlank().isNotEqualTo("admin");
        assertThat(Sec.create(server, token, "{\"type\":\"from-key\",\"project\":\"a\"}").get("project").asText())
                .isEqualTo("a");

        int before = Sec.ids(Sec.json(Sec.get(server, API + "/jobs?project=b&limit=500", TestServer.TOKEN))).size();
        HttpResponse<String> inB = Sec.post(server, API + "/jobs", token, "{\"type\":\"intruder\",\"project\":\"b\"}");
        assertThat(inB.statusCode()).as("create in another project: %s", inB.body()).isBetween(400, 499)
                .isNotEqualTo(429);
        HttpResponse<String> inDefault = Sec.post(server, API + "/jobs", token,
                "{\"type\":\"intruder\",\"project\":\"default\"}");
        assertThat(inDefault.statusCode()).as(inDefault.body()).isBetween(400, 499).isNotEqualTo(429);
        assertThat(Sec.ids(Sec.json(Sec.get(server, API + "/jobs?project=b&limit=500", TestServer.TOKEN))))
                .as("nothing was created in b").hasSize(before);

        // a child of a job of b: refused exactly as under an unknown parent
        String body = "{\"type\":\"intruder-child\",\"parentId\":\"%s\"}";
        HttpResponse<String> foreign = Sec.post(server, API + "/jobs", token, body.formatted(bRunning));
        HttpResponse<String> unknown = Sec.post(server, API + "/jobs", token, body.formatted(UNKNOWN_ID));
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertSameRefusal(foreign, unknown);
        assertThat(Sec.job(server, bRunning).get("children").get("total").asInt()).isEqualTo(1);
    }

    @Test
    void anIdempotencyKeyUsedInAnotherProjectRevealsNothing() {
        // the same Idempotency-Key is per project (API §1): a key of a never gets the job b made with it
        String idem = "shared-idem-" + System.nanoTime();
        HttpResponse<String> inB = Sec.createWithKey(server, TestServer.TOKEN, idem,
                "{\"type\":\"b-idem\",\"project\":\"b\"}");
        assertThat(inB.statusCode()).isEqualTo(201);
        String bId = Sec.json(inB).get("id").asText();
        String token = Sec.keyToken(server, "a", "write");
        HttpResponse<String> inA = Sec.createWithKey(server, token, idem, "{\"type\":\"a-idem\"}");
        assertThat(inA.statusCode()).as(inA.body()).isEqualTo(201);
        assertThat(inA.body()).doesNotContain(bId);
        assertThat(Sec.json(inA).get("project").asText()).isEqualTo("a");
    }

    @Test
    void aChildNamingAnotherProjectRevealsNothingOfTheKeysUsedThere() {
        String idem = "child-idem-" + System.nanoTime();
        HttpResponse<String> inB = Sec.createWithKey(server, TestServer.TOKEN, idem,
                "{\"type\":\"b-idem\",\"project\":\"b\"}");
        assertThat(inB.statusCode()).isEqualTo(201);
        String token = Sec.keyToken(server, "a", "write");
        String body = "{\"type\":\"probe\",\"parentId\":\"" + aJob + "\",\"project\":\"b\"}";
        List<String> answers = new ArrayList<>();
        for (String key : List.of(idem, "never-used-" + System.nanoTime())) {
            HttpResponse<String> r = Sec.createWithKey(server, token, key, body);
            assertThat(r.statusCode()).as("a new child in a, whatever the key: %s", r.body()).isEqualTo(201);
            assertThat(Sec.json(r).get("project").asText()).isEqualTo("a");
            answers.add(Sec.json(r).get("type").asText());
        }
        assertThat(answers).as("a key used in b answers like one never used").containsExactly("probe", "probe");
    }

    @Test
    void aChildCreatedTwiceWithOneKeyIsOneJobForAnAllProjectsCredential() {
        String idem = "child-retry-" + System.nanoTime();
        String parent = Sec.adminJob(server, "{\"type\":\"b-parent\",\"project\":\"b\",\"status\":\"running\"}");
        String body = "{\"type\":\"b-child\",\"parentId\":\"" + parent + "\"}";
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            answers.add(Sec.createWithKey(server, TestServer.TOKEN, idem, body));
        }
        assertThat(answers.get(0).statusCode()).as(answers.get(0).body()).isEqualTo(201);
        assertThat(answers.get(1).statusCode()).as("the retry finds the first child").isEqualTo(200);
        assertThat(Sec.json(answers.get(1)).get("id")).isEqualTo(Sec.json(answers.get(0)).get("id"));
        assertThat(Sec.json(answers.get(1)).get("project").asText()).isEqualTo("b");
    }

    /** Every REST route that names a job, with a body it would accept. */
    private static List<String[]> jobRequests() {
        return List.of(
                new String[] {"GET", "/jobs/{id}", null},
                new String[] {"GET", "/jobs/{id}?waitForVersion=0&timeoutMs=2000", null},
                new String[] {"GET", "/jobs/{id}?waitForVersion=1000000&timeoutMs=2000", null},
                new String[] {"GET", "/jobs/{id}/logs", null},
                new String[] {"GET", "/jobs/{id}/logs?after=0&limit=10", null},
                new String[] {"GET", "/jobs/{id}/result", null},
                new String[] {"GET", "/jobs/{id}/children", null},
                new String[] {"GET", "/jobs?parentId={id}", null},
                new String[] {"POST", "/jobs/{id}/progress", "{\"current\":1,\"total\":10,\"message\":\"x\"}"},
                new String[] {"POST", "/jobs/{id}/start", null},
                new String[] {"POST", "/jobs/{id}/complete", "{\"result\":{\"ok\":true}}"},
                new String[] {"POST", "/jobs/{id}/complete", null},
                new String[] {"POST", "/jobs/{id}/fail", "{\"error\":{\"code\":\"x\",\"message\":\"boom\"}}"},
                new String[] {"POST", "/jobs/{id}/cancel", null},
                new String[] {"POST", "/jobs/{id}/retry", null},
                new String[] {"POST", "/jobs/{id}/heartbeat", null},
                new String[] {"POST", "/jobs/{id}/logs", "{\"level\":\"warn\",\"message\":\"x\"}"},
                new String[] {"POST", "/jobs", "{\"type\":\"child\",\"parentId\":\"{id}\"}"});
    }

    @Test
    void jobsOfAnotherProjectAreAnsweredByteForByteLikeUnknownJobs() {
        String token = Sec.keyToken(server, "a", "write");
        Map<String, JsonNode> before = Map.of(bRunning, Sec.job(server, bRunning), bChild, Sec.job(server, bChild),
                bDone, Sec.job(server, bDone));
        List<String> checked = new ArrayList<>();
        for (String foreignId : List.of(bRunning, bChild, bDone)) {
            for (String[] req : jobRequests()) {
                String path = API + req[1];
                String body = req[2];
                HttpResponse<String> foreign = Sec.call(server, req[0], path.replace("{id}", foreignId), token,
                        body == null ? null : body.replace("{id}", foreignId));
                HttpResponse<String> unknown = Sec.call(server, req[0], path.replace("{id}", UNKNOWN_ID), token,
                        body == null ? null : body.replace("{id}", UNKNOWN_ID));
                String what = req[0] + " " + req[1] + " on a job of b";
                if (req[1].startsWith("/jobs?")) {
                    assertThat(foreign.statusCode()).as(what).isEqualTo(200);
                    assertThat(Sec.json(foreign).get("items")).as(what).isEmpty();
                } else {
                    assertThat(foreign.statusCode()).as(what + ": " + foreign.body()).isEqualTo(404);
                }
                assertThat(foreign.statusCode()).as(what).isEqualTo(unknown.statusCode());
                assertThat(foreign.body()).as(what).isEqualTo(unknown.body());
                assertThat(foreign.headers().firstValue("Content-Type")).as(what)
                        .isEqualTo(unknown.headers().firstValue("Content-Type"));
                checked.add(what);
            }
        }
        assertThat(checked).hasSize(3 * jobRequests().size());
        before.forEach((id, job) -> assertThat(Sec.job(server, id)).as("job %s unchanged", id).isEqualTo(job));
    }

    @Test
    void aBatchEntryForAJobOfAnotherProjectIsRefusedLikeAnUnknownJob() {
        String token = Sec.keyToken(server, "a", "write");
        JsonNode before = Sec.job(server, bRunning);
        String batch = "[{\"jobId\":\"%s\",\"current\":3,\"total\":10},{\"jobId\":\"" + aJob
                + "\",\"current\":2,\"total\":10}]";
        HttpResponse<String> foreign = Sec.post(server, API + "/progress:batch", token, batch.formatted(bRunning));
        HttpResponse<String> unknown = Sec.post(server, API + "/progress:batch", token, batch.formatted(UNKNOWN_ID));
        assertThat(foreign.statusCode()).as(foreign.body()).isEqualTo(200);
        assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(200);
        JsonNode f = Sec.json(foreign).get("results");
        JsonNode u = Sec.json(unknown).get("results");
        assertThat(f.get(0).get("status").asInt()).isEqualTo(404);
        assertThat(withoutId(f.get(0).toString(), bRunning)).isEqualTo(withoutId(u.get(0).toString(), UNKNOWN_ID));
        assertThat(f.get(1).get("status").asInt()).as("the entry of its own project is applied").isEqualTo(202);
        assertThat(Sec.job(server, bRunning)).isEqualTo(before);
        assertThat(Sec.job(server, aJob).get("progress").get("current").asLong()).isEqualTo(2);
    }

    @Test
    void jobsOfAnotherProjectCannotBeStreamedOverSse() {
        String token = Sec.keyToken(server, "a", "write");
        List<String> paths = List.of("/jobs/{id}/events", "/jobs/{id}/events?descendants=true",
                "/jobs/{id}/events?types=progress,status", "/events?jobs={id}", "/events?jobs=" + aJob + ",{id}");
        for (String foreignId : List.of(bRunning, bChild, bDone)) {
            for (String p : paths) {
                for (boolean inQuery : List.of(false, true)) {
                    String what = "SSE " + p + (inQuery ? " (access_token)" : "") + " on a job of b";
                    try (SseClient foreign = open(API + p.replace("{id}", foreignId), token, inQuery);
                         SseClient unknown = open(API + p.replace("{id}", UNKNOWN_ID), token, inQuery)) {
                        assertThat(foreign.status()).as(what).isEqualTo(404);
                        assertThat(unknown.status()).as(what).isEqualTo(404);
                        assertThat(foreign.errorBody()).as(what).isEqualTo(unknown.errorBody());
                    }
                }
            }
        }
        try (SseClient project = Sec.sse(server, API + "/events?project=b", token)) {
            assertThat(project.status()).as("a project stream of another project").isEqualTo(404);
            assertThat(Sec.tree(project.errorBody()).path("error").path("code").asText()).isEqualTo("not_found");
        }
        try (SseClient own = Sec.sse(server, API + "/events?project=a", token)) {
            assertThat(own.status()).isEqualTo(200);
        }
    }

    @Test
    void jobsOfAnotherProjectCannotBeStreamedOverWebSocket() {
        String token = Sec.keyToken(server, "a", "write");
        for (String foreignId : List.of(bRunning, bChild, bDone)) {
            try (WsClient foreign = WsClient.connect(server, API + "/jobs/" + foreignId + "/ws", token, false);
                 WsClient unknown = WsClient.connect(server, API + "/jobs/" + UNKNOWN_ID + "/ws", token, false)) {
                String f = foreign.nextText(Sec.WAIT);
                String u = unknown.nextText(Sec.WAIT);
                assertThat(f).as("first frame on /jobs/{b}/ws").isNotNull();
                assertThat(Sec.tree(f).path("code").asText()).isEqualTo("not_found");
                assertThat(withoutId(f, foreignId)).isEqualTo(withoutId(u, UNKNOWN_ID));
                assertThat(foreign.nextText(Duration.ofMillis(300))).as("nothing of the job follows").isNull();
            }
            try (WsClient foreign = WsClient.connect(server, API + "/ws", token, true);
                 WsClient unknown = WsClient.connect(server, API + "/ws", token, true)) {
                String msg = "{\"type\":\"subscribe\",\"jobs\":[\"" + aJob + "\",\"%s\"],\"descendants\":%s}";
                for (boolean descendants : List.of(false, true)) {
                    foreign.send(msg.formatted(foreignId, descendants));
                    unknown.send(msg.formatted(UNKNOWN_ID, descendants));
                    List<String> fs = framesUntilSnapshot(foreign);
                    List<String> us = framesUntilSnapshot(unknown);
                    assertThat(fs.stream().map(t -> withoutId(t, foreignId)).toList())
                            .as("frames answering a subscription naming a job of b")
                            .isEqualTo(us.stream().map(t -> withoutId(t, UNKNOWN_ID)).toList());
                    assertThat(fs.stream().map(Sec::tree).map(n -> n.path("type").asText()).toList())
                            .contains("error", "subscribed");
                    assertThat(String.join("\n", fs)).doesNotContain("\"jobId\":\"" + foreignId);
                    foreign.send("{\"type\":\"unsubscribe\",\"jobs\":[\"" + aJob + "\"]}");
                    unknown.send("{\"type\":\"unsubscribe\",\"jobs\":[\"" + aJob + "\"]}");
                    foreign.nextOfType("unsubscribed");
                    unknown.nextOfType("unsubscribed");
                }
            }
        }
    }

    /** The frames answering a subscribe that names aJob and a refused job: error, subscribed, snapshot of aJob. */
    private static List<String> framesUntilSnapshot(WsClient ws) {
        List<String> out = new ArrayList<>();
        while (true) {
            String t = ws.nextText(Sec.WAIT);
            assertThat(t).as("frames so far: %s", out).isNotNull();
            JsonNode n = Sec.tree(t);
            if (n.path("type").asText().equals("snapshot")) {
                assertThat(n.path("jobId").asText()).isEqualTo(aJob);
                // the snapshot's content changes with aJob; its presence is what is compared
                out.add("{\"type\":\"snapshot\",\"jobId\":\"" + aJob + "\"}");
                return out;
            }
            out.add(t);
        }
    }

    @Test
    void listsShowOnlyTheKeysProject() {
        String token = Sec.keyToken(server, "a", "read");
        HttpResponse<String> all = Sec.get(server, API + "/jobs?limit=500", token);
        assertThat(all.statusCode()).isEqualTo(200);
        JsonNode page = Sec.json(all);
        assertThat(page.get("items")).isNotEmpty();
        page.get("items").forEach(j -> assertThat(j.get("project").asText()).isEqualTo("a"));
        assertThat(Sec.ids(page)).contains(aJob).doesNotContain(bRunning, bChild, bDone);
        for (String q : List.of("?project=b", "?project=b&status=running", "?parentId=" + bRunning,
                "?type=b-work", "?status=completed&project=b")) {
            HttpResponse<String> r = Sec.get(server, API + "/jobs" + q, token);
            assertThat(r.statusCode()).as(q).isEqualTo(200);
            assertThat(Sec.json(r).get("items")).as(q).isEmpty();
        }
        JsonNode running = Sec.json(Sec.get(server, API + "/jobs?status=running&limit=500", token));
        running.get("items").forEach(j -> assertThat(j.get("project").asText()).isEqualTo("a"));
    }

    @Test
    void aReadKeyReadsAndStreamsItsProjectButCannotWrite() {
        String token = Sec.keyToken(server, "a", "read");
        JsonNode before = Sec.job(server, aJob);
        assertThat(Sec.get(server, API + "/jobs/" + aJob, token).statusCode()).isEqualTo(200);
        assertThat(Sec.get(server, API + "/jobs/" + aJob + "/logs", token).statusCode()).isEqualTo(200);
        assertThat(Sec.get(server, API + "/jobs/" + aJob + "/children", token).statusCode()).isEqualTo(200);
        try (SseClient sse = Sec.sse(server, API + "/jobs/" + aJob + "/events", token);
             SseClient project = Sec.sseWithQueryToken(server, API + "/events?project=a", token);
             WsClient ws = WsClient.connect(server, API + "/jobs/" + aJob + "/ws", token, false)) {
            assertThat(sse.status()).isEqualTo(200);
            assertThat(Sec.next(sse).event()).isEqualTo("snapshot");
            assertThat(project.status()).isEqualTo(200);
            assertThat(Sec.next(project).event()).isEqualTo("snapshot");
            List<JsonNode> frames = ws.until(n -> n.path("type").asText().equals("snapshot"));
            assertThat(frames.get(frames.size() - 1).path("jobId").asText()).isEqualTo(aJob);
        }
        for (String[] req : jobRequests()) {
            if (req[0].equals("GET")) {
                continue;
            }
            for (String id : List.of(aJob, bRunning, UNKNOWN_ID)) {
                HttpResponse<String> r = Sec.call(server, "POST", API + req[1].replace("{id}", id), token,
                        req[2] == null ? null : req[2].replace("{id}", id));
                assertError(r, 401, "unauthorized");
            }
        }
        assertError(Sec.post(server, API + "/jobs", token, "{\"type\":\"x\"}"), 401, "unauthorized");
        assertError(Sec.post(server, API + "/progress:batch", token,
                "[{\"jobId\":\"" + aJob + "\",\"current\":5}]"), 401, "unauthorized");
        assertThat(Sec.job(server, aJob)).as("nothing changed").isEqualTo(before);
    }

    @Test
    void aRevokedKeyIsRefusedAtOnceAndItsOpenStreamsEnd() {
        JsonNode created = Sec.createKey(server, "a", "write", "to-revoke", null);
        String id = created.get("key").get("id").asText();
        String token = created.get("token").asText();
        try (SseClient sse = Sec.sse(server, API + "/jobs/" + aJob + "/events", token);
             SseClient project = Sec.sseWithQueryToken(server, API + "/events?project=a", token);
             WsClient ws = WsClient.connect(server, API + "/jobs/" + aJob + "/ws", token, false);
             WsClient ws2 = WsClient.connect(server, API + "/ws", token, true)) {
            assertThat(Sec.next(sse).event()).isEqualTo("snapshot");
            assertThat(Sec.next(project).event()).isEqualTo("snapshot");
            ws.until(n -> n.path("type").asText().equals("snapshot"));
            ws2.send("{\"type\":\"subscribe\",\"jobs\":[\"" + aJob + "\"]}");
            ws2.until(n -> n.path("type").asText().equals("snapshot"));
            assertThat(Sec.post(server, API + "/jobs/" + aJob + "/heartbeat", token, null).statusCode())
                    .isEqualTo(204);

            HttpResponse<String> revoke = Sec.post(server, API + "/keys/" + id + "/revoke", TestServer.TOKEN, null);
            assertThat(revoke.statusCode()).as(revoke.body()).isEqualTo(200);

            // new requests: refused at once
            assertError(Sec.get(server, API + "/jobs", token), 401, "unauthorized");
            assertError(Sec.post(server, API + "/jobs/" + aJob + "/heartbeat", token, null), 401, "unauthorized");
            try (SseClient refused = Sec.sse(server, API + "/jobs/" + aJob + "/events", token)) {
                assertThat(refused.status()).isEqualTo(401);
            }
            assertThat(WsClient.refusal(server, API + "/ws", token, false).status()).isEqualTo(401);

            // open streams: end within seconds, telling why
            await().atMost(Duration.ofSeconds(10)).until(() -> sse.ended() && project.ended());
            assertThat(commentsOf(sse)).as("SSE ends with a comment").anyMatch(c -> c.contains("revoked"));
            for (WsClient w : List.of(ws, ws2)) {
                JsonNode error = Sec.tree(w.nextOfType("error"));
                assertThat(error.path("code").asText()).isEqualTo("unauthorized");
                WsClient.Closed closed = w.awaitClosed(Duration.ofSeconds(10));
                assertThat(closed).as("the WebSocket is closed").isNotNull();
                assertThat(closed.code()).isEqualTo(1008);
            }
        }
        JsonNode listed = null;
        for (JsonNode k : Sec.json(Sec.get(server, API + "/keys", TestServer.TOKEN)).get("items")) {
            if (k.get("id").asText().equals(id)) {
                listed = k;
            }
        }
        assertThat(listed).isNotNull();
        assertThat(listed.get("revokedAt").isNull()).as("GET /keys shows when it was revoked").isFalse();
        assertError(Sec.post(server, API + "/keys/" + id + "/revoke", TestServer.TOKEN, null), 404, "not_found");
    }

    @Test
    void streamsEndedByARevocationReleaseWhatTheyHeld() {
        // the server side of a stream it ended must go away like one the client closed: no open stream, no
        // subscription left behind (the gauges of /metrics)
        String sseSeries = "herald_streams_open{transport=\"sse\"}";
        String wsSeries = "herald_streams_open{transport=\"websocket\"}";
        double sseBefore = Sec.metric(server, sseSeries);
        double wsBefore = Sec.metric(server, wsSeries);
        double subsBefore = Sec.metric(server, "herald_subscriptions");
        assertThat(sseBefore).as("the gauge %s exists", sseSeries).isNotNaN();
        JsonNode created = Sec.createKey(server, "a", "read", null, null);
        String token = created.get("token").asText();
        try (SseClient sse = Sec.sse(server, API + "/jobs/" + aJob + "/events", token);
             WsClient ws = WsClient.connect(server, API + "/jobs/" + aJob + "/ws", token, false)) {
            assertThat(Sec.next(sse).event()).isEqualTo("snapshot");
            ws.until(n -> n.path("type").asText().equals("snapshot"));
            assertThat(Sec.metric(server, sseSeries)).isEqualTo(sseBefore + 1);
            assertThat(Sec.post(server, API + "/keys/" + created.get("key").get("id").asText() + "/revoke",
                    TestServer.TOKEN, null).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(sse::ended);
            assertThat(ws.awaitClosed(Duration.ofSeconds(10))).isNotNull();
            // the client keeps its (now finished) HTTP connection: the server must not wait for it to close
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(Sec.metric(server, sseSeries)).as(sseSeries).isEqualTo(sseBefore);
                assertThat(Sec.metric(server, wsSeries)).as(wsSeries).isEqualTo(wsBefore);
                assertThat(Sec.metric(server, "herald_subscriptions")).as("herald_subscriptions")
                        .isEqualTo(subsBefore);
            });
        }
    }

    @Test
    void streamsOfAnExpiringKeyEndWhenItExpires() {
        JsonNode created = Sec.createKey(server, "a", "read", null, 3);
        String token = created.get("token").asText();
        try (SseClient sse = Sec.sse(server, API + "/jobs/" + aJob + "/events", token);
             WsClient ws = WsClient.connect(server, API + "/jobs/" + aJob + "/ws", token, false)) {
            assertThat(sse.status()).isEqualTo(200);
            assertThat(Sec.next(sse).event()).isEqualTo("snapshot");
            await().atMost(Duration.ofSeconds(15)).until(sse::ended);
            assertThat(commentsOf(sse)).anyMatch(c -> c.contains("expired"));
            assertThat(Sec.tree(ws.nextOfType("error")).path("code").asText()).isEqualTo("unauthorized");
            WsClient.Closed closed = ws.awaitClosed(Duration.ofSeconds(10));
            assertThat(closed).isNotNull();
            assertThat(closed.code()).isEqualTo(1008);
        }
    }

    private static SseClient open(String pathAndQuery, String token, boolean inQuery) {
        return inQuery ? Sec.sseWithQueryToken(server, pathAndQuery, token) : Sec.sse(server, pathAndQuery, token);
    }

    private static List<String> commentsOf(SseClient sse) {
        List<String> out = new ArrayList<>();
        for (SseClient.Event e : sse.drain()) {
            if (e.event().equals("comment")) {
                out.add(e.data());
            }
        }
        return out;
    }

    private static void assertSameRefusal(HttpResponse<String> foreign, HttpResponse<String> unknown) {
        assertThat(foreign.statusCode()).isEqualTo(unknown.statusCode());
        assertThat(foreign.body()).isEqualTo(unknown.body());
    }
}
