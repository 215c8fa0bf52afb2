package dev.herald.server.security;

import dev.herald.server.support.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.auth.AuthOptions;
import dev.herald.server.auth.JwtOptions;
import dev.herald.server.support.SseClient;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.herald.server.security.Sec.API;
import static dev.herald.server.security.Sec.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The limits per credential (API §6, AuthOptions), set small: write requests (bursts of 5, one every 5 s after
 * that: a batch is one request), batch entries (bursts of 20, one every 10 s after that; the admin token is not
 * limited) and open streams (2). The slow refills keep a loaded machine's slow requests from refilling a bucket
 * within a test.
 */
class CredentialLimitsTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(o -> o.withAuth(AuthOptions.defaults().withWriteLimit(0.2, 5).withEntryLimit(0.1, 20)
                .withMaxStreamsPerCredential(2).withJwt(JwtOptions.hs256(JwtAccessTest.SECRET)
                        // streams end at exp plus the leeway: keep it short so expiry is seen quickly
                        .withLeeway(java.time.Duration.ofSeconds(1)))));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String running(String project) {
        return Sec.adminJob(server, "{\"type\":\"limited\",\"project\":\"" + project + "\",\"status\":\"running\","
                + "\"total\":1000}");
    }

    /** Quick progress writes until the first 429; the answers, the 429 last. */
    private static List<HttpResponse<String>> writeUntilLimited(String token, String id) {
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            HttpResponse<String> r = Sec.post(server, API + "/jobs/" + id + "/progress", token,
                    "{\"current\":" + i + "}");
            answers.add(r);
            if (r.statusCode() == 429) {
                return answers;
            }
            assertThat(r.statusCode()).as("write %d: %s", i, r.body()).isEqualTo(202);
        }
        return answers;
    }

    private static void assertRateLimited(HttpResponse<String> r) {
        assertError(r, 429, "rate_limited");
        String retryAfter = r.headers().firstValue("Retry-After").orElse(null);
        assertThat(retryAfter).as("Retry-After").isNotNull().matches("[1-9][0-9]*");
    }

    @Test
    void aKeysSixthQuickWriteIsRateLimitedWithRetryAfter() {
        String token = Sec.keyToken(server, "a", "write");
        String id = running("a");
        List<HttpResponse<String>> answers = writeUntilLimited(token, id);
        HttpResponse<String> last = answers.get(answers.size() - 1);
        assertThat(last.statusCode()).as("a write was refused among %d quick ones", answers.size()).isEqualTo(429);
        assertThat(answers.size()).as("the burst of 5 passes").isGreaterThanOrEqualTo(6);
        assertRateLimited(last);
        // the refused write changed nothing
        assertThat(Sec.job(server, id).get("progress").get("current").asInt()).isEqualTo(answers.size() - 1);
        // reads are not writes
        assertThat(Sec.get(server, API + "/jobs/" + id, token).statusCode()).isEqualTo(200);
        // and another credential has its own bucket
        String other = Sec.keyToken(server, "a", "write");
        for (int i = 0; i < 5; i++) {
            assertThat(Sec.post(server, API + "/jobs/" + id + "/heartbeat", other, null).statusCode()).isEqualTo(204);
        }
        // every kind of write is limited, creating jobs too
        HttpResponse<String> create = null;
        for (int i = 0; i < 50 && (create == null || create.statusCode() != 429); i++) {
            create = Sec.post(server, API + "/jobs", other, "{\"type\":\"x\"}");
        }
        assertRateLimited(create);
    }

    @Test
    void aJwtSubjectIsLimitedToo() {
        String token = Jwts.hs256(JwtAccessTest.SECRET, Jwts.claims("busy-worker", List.of("a"), "write", 3600));
        List<HttpResponse<String>> answers = writeUntilLimited(token, running("a"));
        assertRateLimited(answers.get(answers.size() - 1));
        assertThat(answers.size()).isGreaterThanOrEqualTo(6);
    }

    private static String batch(String id, int entries) {
        StringJoiner j = new StringJoiner(",", "[", "]");
        for (int i = 1; i <= entries; i++) {
            j.add("{\"jobId\":\"" + id + "\",\"current\":" + i + "}");
        }
        return j.toString();
    }

    @Test
    void aBatchIsOneRequestAndItsEntriesComeFromTheEntryBudget() {
        String id = running("a");
        String token = Sec.keyToken(server, "a", "write");
        // ten entries are one request of the five a fresh bucket holds, and ten of the twenty entries
        for (int round = 0; round < 2; round++) {
            HttpResponse<String> ten = Sec.post(server, API + "/progress:batch", token, batch(id, 10));
            assertThat(ten.statusCode()).as(ten.body()).isEqualTo(200);
            Sec.json(ten).get("results").forEach(r -> assertThat(r.get("status").asInt()).isEqualTo(202));
        }
        long version = Sec.job(server, id).get("version").asLong();
        // the entry budget is spent: one entry more is refused, and changes nothing
        HttpResponse<String> one = Sec.post(server, API + "/progress:batch", token, batch(id, 1));
        assertRateLimited(one);
        assertThat(Sec.job(server, id).get("version").asLong()).as("the refused batch changed nothing")
                .isEqualTo(version);
        // the request budget is not: a single update passes (it takes no entry)
        HttpResponse<String> single = Sec.post(server, API + "/jobs/" + id + "/progress", token, "{\"current\":1}");
        assertThat(single.statusCode()).as(single.body()).isEqualTo(202);
    }

    @Test
    void aBatchLargerThanTheEntryBurstIsTooLargeNotRateLimited() {
        String id = running("a");
        long version = Sec.job(server, id).get("version").asLong();
        // 21 entries could never fit a bucket of 20: 429 would have the client retry forever
        String token = Sec.keyToken(server, "a", "write");
        HttpResponse<String> big = Sec.post(server, API + "/progress:batch", token, batch(id, 21));
        assertThat(big.statusCode()).as(big.body()).isEqualTo(413);
        assertThat(Sec.json(big).at("/error/code").asText()).isEqualTo("too_large");
        assertThat(Sec.job(server, id).get("version").asLong()).as("the refused batch changed nothing")
                .isEqualTo(version);
        // twenty fit a full bucket exactly
        HttpResponse<String> twenty = Sec.post(server, API + "/progress:batch", token, batch(id, 20));
        assertThat(twenty.statusCode()).as(twenty.body()).isEqualTo(200);
    }

    @Test
    void manyBatchesRunIntoTheRequestBudget() {
        String id = running("a");
        String token = Sec.keyToken(server, "a", "write");
        HttpResponse<String> last = null;
        for (int i = 0; i < 50 && (last == null || last.statusCode() != 429); i++) {
            last = Sec.post(server, API + "/progress:batch", token, batch(id, 1));
        }
        assertRateLimited(last);
        assertThat(Sec.json(last).at("/error/message").asText()).contains("write requests");
    }

    @Test
    void theAdminTokenIsNotLimited() {
        String id = running("a");
        for (int i = 1; i <= 60; i++) {
            HttpResponse<String> r = Sec.post(server, API + "/jobs/" + id + "/progress", TestServer.TOKEN,
                    "{\"current\":" + i + "}");
            assertThat(r.statusCode()).as("admin write %d: %s", i, r.body()).isEqualTo(202);
        }
        HttpResponse<String> big = Sec.post(server, API + "/progress:batch", TestServer.TOKEN, batch(id, 100));
        assertThat(big.statusCode()).as(big.body()).isEqualTo(200);
        for (int i = 0; i < 20; i++) {
            assertThat(Sec.post(server, API + "/jobs", TestServer.TOKEN, "{\"type\":\"admin\"}").statusCode())
                    .isEqualTo(201);
        }
    }

    @Test
    void aKeysThirdStreamIsRefusedWith429() {
        String id = running("a");
        String token = Sec.keyToken(server, "a", "read");
        try (SseClient one = Sec.sse(server, API + "/jobs/" + id + "/events", token);
             SseClient two = Sec.sseWithQueryToken(server, API + "/events?project=a", token)) {
            assertThat(one.status()).isEqualTo(200);
            assertThat(two.status()).isEqualTo(200);
            assertThat(Sec.next(one).event()).isEqualTo("snapshot");
            try (SseClient three = Sec.sse(server, API + "/jobs/" + id + "/events", token)) {
                assertThat(three.status()).as("the third SSE stream").isEqualTo(429);
                assertThat(Sec.tree(three.errorBody()).path("error").path("code").asText()).isEqualTo("rate_limited");
            }
            WsClient.Refusal ws = WsClient.refusal(server, API + "/jobs/" + id + "/ws", token, false);
            assertThat(ws.status()).as("a third stream as a WebSocket").isEqualTo(429);
            // a refused stream does not take a place; closing one frees one
            one.close();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                try (SseClient again = Sec.sse(server, API + "/jobs/" + id + "/events", token)) {
                    assertThat(again.status()).isEqualTo(200);
                }
            });
        }
        // WebSockets count the same way
        String token2 = Sec.keyToken(server, "a", "read");
        try (WsClient w1 = WsClient.connect(server, API + "/jobs/" + id + "/ws", token2, false);
             WsClient w2 = WsClient.connect(server, API + "/ws", token2, false)) {
            w1.until(n -> n.path("type").asText().equals("snapshot"));
            try (SseClient three = Sec.sse(server, API + "/jobs/" + id + "/events", token2)) {
                assertThat(three.status()).isEqualTo(429);
            }
            assertThat(WsClient.refusal(server, API + "/ws", token2, false).status()).isEqualTo(429);
            // another credential is not affected
            try (SseClient other = Sec.sse(server, API + "/jobs/" + id + "/events", Sec.keyToken(server, "a", "read"))) {
                assertThat(other.status()).isEqualTo(200);
            }
        }
        // the admin token is not limited
        List<SseClient> admin = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                SseClient s = Sec.sse(server, API + "/jobs/" + id + "/events", TestServer.TOKEN);
                admin.add(s);
                assertThat(s.status()).as("admin stream %d", i + 1).isEqualTo(200);
            }
        } finally {
            admin.forEach(SseClient::close);
        }
    }

    @Test
    void longPollsHoldStreamPlacesAndEndWith401WhenTheirKeyIsRevoked() {
        String id = running("a");
        long version = Sec.job(server, id).get("version").asLong();
        JsonNode key = Sec.createKey(server, "a", "read", "poller", null);
        String token = key.get("token").asText();
        String wait = API + "/jobs/" + id + "?waitForVersion=" + version + "&timeoutMs=30000";
        List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            polls.add(server.client().sendAsync(Sec.request(server, wait, token).GET().build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        // once both wait, a third long poll and a stream find no place
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertRateLimited(
                Sec.get(server, API + "/jobs/" + id + "?waitForVersion=" + version + "&timeoutMs=50", token)));
        try (SseClient stream = Sec.sse(server, API + "/jobs/" + id + "/events", token)) {
            assertThat(stream.status()).isEqualTo(429);
        }
        assertThat(Sec.post(server, API + "/keys/" + key.at("/key/id").asText() + "/revoke", TestServer.TOKEN, "{}")
                .statusCode()).isEqualTo(200);
        for (CompletableFuture<HttpResponse<String>> poll : polls) {
            HttpResponse<String> answer = poll.orTimeout(10, TimeUnit.SECONDS).join();
            assertError(answer, 401, "unauthorized");
            assertThat(answer.body()).as("a revoked key learns nothing more of the job").doesNotContain(id);
        }
    }

    @Test
    void theAdminTokensStreamsDoNotCountAgainstAJwtWhoseSubjectIsAdmin() {
        // the limit is per credential: the operator's streams are not a JWT's, whatever its sub says
        String id = running("a");
        String jwt = Jwts.hs256(JwtAccessTest.SECRET, Jwts.claims("admin", List.of("a"), "read", 3600));
        List<SseClient> admin = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                admin.add(Sec.sse(server, API + "/jobs/" + id + "/events", TestServer.TOKEN));
                assertThat(admin.get(i).status()).isEqualTo(200);
            }
            try (SseClient s = Sec.sse(server, API + "/jobs/" + id + "/events", jwt)) {
                assertThat(s.status()).as("a JWT with sub 'admin' while the admin token holds 3 streams: %s",
                        s.status() == 200 ? "" : s.errorBody()).isEqualTo(200);
            }
        } finally {
            admin.forEach(SseClient::close);
        }
    }

    @Test
    void aRefusedStreamDoesNotTakeAPlace() {
        String id = running("a");
        String token = Sec.keyToken(server, "a", "read");
        // refusals of every kind: unknown jobs, bad parameters, a job of another project
        String bJob = running("b");
        for (int i = 0; i < 5; i++) {
            try (SseClient s = Sec.sse(server, API + "/jobs/" + Sec.UNKNOWN_ID + "/events", token);
                 SseClient f = Sec.sse(server, API + "/jobs/" + bJob + "/events", token);
                 SseClient p = Sec.sse(server, API + "/events?project=b", token)) {
                assertThat(s.status()).isEqualTo(404);
                assertThat(f.status()).isEqualTo(404);
                assertThat(p.status()).isEqualTo(404);
            }
        }
        try (SseClient one = Sec.sse(server, API + "/jobs/" + id + "/events", token);
             SseClient two = Sec.sse(server, API + "/jobs/" + id + "/events", token)) {
            assertThat(one.status()).isEqualTo(200);
            assertThat(two.status()).isEqualTo(200);
        }
    }

    @Test
    void streamsEndedByTheirTokensExpiryGiveBackTheirPlaces() {
        String id = running("a");
        // two streams, the most a credential may hold, with a token that expires within 3 to 4 s
        String brief = Jwts.hs256(JwtAccessTest.SECRET, Jwts.claims("erin", List.of("a"), "read", 4));
        try (SseClient one = Sec.sse(server, API + "/jobs/" + id + "/events", brief);
             SseClient two = Sec.sse(server, API + "/jobs/" + id + "/events", brief)) {
            assertThat(one.status()).isEqualTo(200);
            assertThat(two.status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(15)).until(() -> one.ended() && two.ended());
        }
        // the same subject with a fresh token: its old streams are over, so it may open new ones
        String fresh = Jwts.hs256(JwtAccessTest.SECRET, Jwts.claims("erin", List.of("a"), "read", 3600));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            try (SseClient again = Sec.sse(server, API + "/jobs/" + id + "/events", fresh)) {
                assertThat(again.status()).as("a stream after the expired ones ended: %s",
                        again.status() == 200 ? "" : again.errorBody()).isEqualTo(200);
            }
        });

        String briefWs = Jwts.hs256(JwtAccessTest.SECRET, Jwts.claims("frank", List.of("a"), "read", 4));
        try (WsClient w1 = WsClient.connect(server, API + "/jobs/" + id + "/ws", briefWs, false);
             WsClient w2 = WsClient.connect(server, API + "/jobs/" + id + "/ws", briefWs, false)) {
            assertThat(w1.awaitClosed(Duration.ofSeconds(15))).isNotNull();
            assertThat(w2.awaitClosed(Duration.ofSeconds(15))).isNotNull();
        }
        String freshWs = Jwts.hs256(JwtAccessTest.SECRET, Jwts.claims("frank", List.of("a"), "read", 3600));
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
            try (WsClient w = WsClient.connect(server, API + "/jobs/" + id + "/ws", freshWs, false)) {
                JsonNode first = w.next();
                assertThat(first.path("type").asText()).isEqualTo("subscribed");
            }
        });
    }
}
