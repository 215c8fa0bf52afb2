package dev.herald.server.ws;

import dev.herald.server.support.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static dev.herald.server.ws.Ws.assertError;
import static dev.herald.server.ws.Ws.isLog;
import static dev.herald.server.ws.Ws.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/** The WebSocket protocol around the events (API §4): pings, errors, limits, authentication. */
class WsProtocolTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode pong(WsClient ws) {
        JsonNode p = ws.next();
        assertThat(type(p)).as("%s", p).isEqualTo("pong");
        return p;
    }

    @Test
    void pingIsAnsweredWithPongEchoingTheId() {
        try (WsClient ws = WsClient.connect(server, "/api/v1/ws")) {
            for (String id : List.of("\"any\"", "42", "-7.5", "{\"a\":[1,\"two\",null],\"b\":{\"c\":true}}",
                    "[1,2,3]", "true", "\"\"", "\"ünï ✓ \\n \\\"q\\\"\"", "null")) {
                ws.send(Ws.ping(id));
                JsonNode p = pong(ws);
                assertThat(p.get("id")).as("the id %s echoed", id).isEqualTo(Ws.tree(id));
            }
            ws.send("{\"type\":\"ping\"}");
            JsonNode p = pong(ws);
            assertThat(p.path("id").isNull() || p.path("id").isMissingNode())
                    .as("a ping without id: %s", p).isTrue();
        }
    }

    @Test
    void aWebSocketPingFrameIsAnsweredWithAPongFrame() throws Exception {
        try (WsClient ws = WsClient.connect(server, "/api/v1/ws")) {
            byte[] payload = "are you there?".getBytes(StandardCharsets.UTF_8);
            ws.sendPing(payload);
            assertThat(ws.nextPong(Ws.WAIT)).as("the pong frame echoes the payload").isEqualTo(payload);
            ws.sendPing(new byte[0]);
            assertThat(ws.nextPong(Ws.WAIT)).isEqualTo(new byte[0]);
            // and the protocol carries on
            ws.send(Ws.ping("1"));
            assertThat(pong(ws).get("id").asInt()).isEqualTo(1);
        }
    }

    @Test
    void malformedJsonIsInvalidMessageAndTheConnectionStaysOpen() {
        try (WsClient ws = WsClient.connect(server, "/api/v1/ws")) {
            for (String bad : List.of("not json", "{\"type\":\"ping\"", "", "   ", "{'a':1}", "{\"type\":\"ping\",}",
                    "\u0000")) {
                ws.send(bad);
                JsonNode e = assertError(ws.next(), "invalid_message");
                assertThat(e.get("ref").isNull()).as("no ref for unreadable JSON: %s", e).isTrue();
            }
            ws.send(Ws.ping("\"after\""));
            assertThat(pong(ws).get("id").asText()).isEqualTo("after");
        }
    }

    @Test
    void dataAfterTheJsonObjectIsInvalidMessage() {
        try (WsClient ws = WsClient.connect(server, "/api/v1/ws")) {
            for (String bad : List.of("{\"type\":\"ping\",\"id\":1} trailing", "{\"type\":\"ping\",\"id\":2}{\"type\":\"ping\"}",
                    "{\"type\":\"ping\",\"id\":3}]")) {
                ws.send(bad);
                JsonNode n = ws.next();
                assertThat(type(n)).as("answer to %s (one JSON object per frame, like a REST body): %s", bad, n)
                        .isEqualTo("error");
                assertError(n, "invalid_message");
            }
            ws.send(Ws.ping("\"after\""));
            assertThat(pong(ws).get("id").asText()).isEqualTo("after");
        }
    }

    @Test
    void messagesOfTheWrongShapeAreInvalidMessageWithTheRequestAsRef() {
        String id = Ws.create(server, "running");
        List<String> bad = List.of(
                "[]",
                "\"subscribe\"",
                "42",
                "{}",
                "{\"jobs\":[\"" + id + "\"]}",
                "{\"type\":5}",
                "{\"type\":null}",
                "{\"type\":\"dance\"}",
                "{\"type\":\"SUBSCRIBE\",\"jobs\":[\"" + id + "\"]}",
                "{\"type\":\"subscribe\"}",
                "{\"type\":\"subscribe\",\"jobs\":\"" + id + "\"}",
                "{\"type\":\"subscribe\",\"jobs\":[]}",
                "{\"type\":\"subscribe\",\"jobs\":[5]}",
                "{\"type\":\"subscribe\",\"jobs\":{\"id\":\"" + id + "\"}}",
                "{\"type\":\"subscribe\",\"jobs\":[\"" + id + "\"],\"job\":1}",
                "{\"type\":\"subscribe\",\"jobs\":[\"" + id + "\"],\"since\":5}",
                "{\"type\":\"subscribe\",\"jobs\":[\"" + id + "\"],\"since\":[5]}",
                "{\"type\":\"subscribe\",\"jobs\":[\"" + id + "\"],\"since\":{\"" + id + "\":-1}}",
                "{\"type\":\"subscribe\",\"jobs\":[\"" + id + "\"],\"since\":{\"" + id + "\":\"5\"}}",
                "{\"type\":\"subscribe\",\"jobs\":[\"" + id + "\"],\"since\":{\"" + id + "\":1.5}}",
                "{\"type\":\"subscribe\",\"jobs\":[\"" + id + "\"],\"since\":{\"" + id + "\":null}}",
                "{\"type\":\"subscribe\",\"jobs\":[\"" + id + "\"],\"types\":\"progress\"}",
                "{\"type\":\"subscribe\",\"jobs\":[\"" + id + "\"],\"types\":[\"nope\"]}",
                "{\"type\":\"subscribe\",\"jobs\":[\"" + id + "\"],\"types\":[1]}",
                "{\"type\":\"subscribe\",\"jobs\":[\"" + id + "\"],\"descendants\":\"yes\"}",
                "{\"type\":\"unsubscribe\"}",
                "{\"type\":\"unsubscribe\",\"jobs\":\"" + id + "\"}",
                "{\"type\":\"unsubscribe\",\"jobs\":[\"" + id + "\"],\"since\":{}}",
                "{\"type\":\"ping\",\"id\":1,\"extra\":2}");
        try (WsClient ws = WsClient.connect(server, "/api/v1/ws")) {
            for (String message : bad) {
                ws.send(message);
                JsonNode e = ws.next();
                assertThat(type(e)).as("answer to %s: %s", message, e).isEqualTo("error");
                assertError(e, "invalid_message");
                assertThat(e.get("ref")).as("ref of the answer to %s", message).isEqualTo(Ws.tree(message));
            }
            // nothing was subscribed by any of them, and the connection still works
            ws.send(Ws.subscribe(id));
            JsonNode sub = ws.next();
            assertThat(type(sub)).as("%s", sub).isEqualTo("subscribed");
            assertThat(sub.get("jobs")).hasSize(1);
            assertThat(type(ws.next())).isEqualTo("snapshot");
            Ws.log(server, id, "still streaming");
            assertThat(isLog(ws.next(), "still streaming")).isTrue();
        }
    }

    @Test
    void aBinaryFrameIsInvalidMessage() throws Exception {
        try (WsClient ws = WsClient.connect(server, "/api/v1/ws")) {
            ws.socket().sendBinary(java.nio.ByteBuffer.wrap(Ws.ping("1").getBytes(StandardCharsets.UTF_8)), true)
                    .get(15, TimeUnit.SECONDS);
            assertError(ws.next(), "invalid_message");
            ws.send(Ws.ping("2"));
            assertThat(pong(ws).get("id").asInt()).isEqualTo(2);
        }
    }

    /** Creates {@code n} running jobs over REST, a few at a time. */
    private static List<String> createJobs(int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<String>> created = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                created.add(CompletableFuture.supplyAsync(() -> Ws.create(server, "running"), pool));
            }
            List<String> ids = new ArrayList<>();
            for (CompletableFuture<String> f : created) {
                ids.add(f.get(60, TimeUnit.SECONDS));
            }
            return ids;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void moreThanAThousandSubscriptionsAreRefused() throws Exception {
        List<String> ids = createJobs(1001);
        List<String> thousand = ids.subList(0, 1000);
        String extra = ids.get(1000);
        try (WsClient ws = WsClient.connect(server, "/api/v1/ws")) {
            // 1001 in one message: refused as a whole
            String tooMany = Ws.subscribe(ids);
            ws.send(tooMany);
            JsonNode e = assertError(ws.next(), "too_many_subscriptions");
            assertThat(e.get("ref")).isEqualTo(Ws.tree(tooMany));
            ws.send(Ws.ping("\"open\""));
            assertThat(pong(ws).get("id").asText()).as("nothing subscribed, connection open").isEqualTo("open");

            // exactly 1000 is allowed
            ws.send(Ws.subscribe(thousand));
            JsonNode sub = ws.next();
            assertThat(type(sub)).as("%s", sub.toString().substring(0, Math.min(200, sub.toString().length())))
                    .isEqualTo("subscribed");
            assertThat(sub.get("jobs")).hasSize(1000);
            for (int i = 0; i < 1000; i++) {
                assertThat(type(ws.next())).isEqualTo("snapshot");
            }
            // one more is too many
            String oneMore = Ws.subscribe(extra);
            ws.send(oneMore);
            e = assertError(ws.next(), "too_many_subscriptions");
            assertThat(e.get("ref")).isEqualTo(Ws.tree(oneMore));
            // the ones held still stream
            Ws.log(server, thousand.get(999), "held");
            assertThat(isLog(ws.next(), "held")).isTrue();
            Ws.log(server, extra, "not held");
            Ws.log(server, thousand.get(0), "held too");
            JsonNode next = ws.next();
            assertThat(isLog(next, "held too")).as("the refused job is not streamed: %s", next).isTrue();

            // after an unsubscribe there is room again
            ws.send(Ws.unsubscribe(thousand.get(0)));
            assertThat(type(ws.next())).isEqualTo("unsubscribed");
            ws.send(oneMore);
            sub = ws.next();
            assertThat(type(sub)).as("%s", sub).isEqualTo("subscribed");
            assertThat(sub.get("jobs").get(0).asText()).isEqualTo(extra);
        }
    }

    @Test
    void aBurstOfMessagesIsRateLimitedAndEveryMessageIsAnswered() throws Exception {
        int burst = 300;
        try (RawWebSocket raw = RawWebSocket.open(server, "/api/v1/ws")) {
            assertThat(raw.readHead()).isEqualTo(101);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int i = 0; i < burst; i++) {
                all.write(RawWebSocket.text(Ws.ping(Integer.toString(i))));
            }
            raw.write(all.toByteArray());   // one burst
            int pongs = 0;
            int limited = 0;
            List<Integer> answered = new ArrayList<>();
            while (answered.size() < burst) {
                RawWebSocket.Frame f = raw.next(Ws.WAIT);
                if (f == null) {
                    fail("only " + answered.size() + " of " + burst + " messages were answered (" + pongs + " pongs, "
                            + limited + " rate_limited)");
                }
                assertThat(f.opcode()).as("a text frame, not a close").isEqualTo(RawWebSocket.TEXT);
                JsonNode n = Ws.tree(f.text());
                if (type(n).equals("heartbeat")) {
                    continue;
                }
                if (type(n).equals("pong")) {
                    pongs++;
                    answered.add(n.get("id").asInt());
                } else {
                    assertError(n, "rate_limited");
                    assertThat(n.at("/ref/type").asText()).isEqualTo("ping");
                    limited++;
                    answered.add(n.at("/ref/id").asInt());
                }
            }
            System.out.println("burst of " + burst + ": " + pongs + " pongs, " + limited + " rate_limited");
            assertThat(answered).as("every message answered once, in order").isSorted().doesNotHaveDuplicates();
            assertThat(limited).as("a burst beyond ~100 is rate limited").isPositive();
            assertThat(pongs).as("the first ~100 of a burst are served").isGreaterThanOrEqualTo(100);

            // the connection stays open; once the bucket refills, pings are served again
            int[] n = {1000};
            await().atMost(Ws.WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
                raw.sendText(Ws.ping(Integer.toString(++n[0])));
                while (true) {
                    RawWebSocket.Frame f = raw.next(Ws.WAIT);
                    assertThat(f).isNotNull();
                    assertThat(f.opcode()).isEqualTo(RawWebSocket.TEXT);
                    JsonNode a = Ws.tree(f.text());
                    if (!type(a).equals("heartbeat")) {
                        return type(a).equals("pong");
                    }
                }
            });
        }
    }

    @Test
    void aBurstOfMalformedMessagesIsRateLimitedToo() throws Exception {
        int burst = 300;
        try (RawWebSocket raw = RawWebSocket.open(server, "/api/v1/ws")) {
            assertThat(raw.readHead()).isEqualTo(101);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int i = 0; i < burst; i++) {
                all.write(RawWebSocket.text("not json " + i));
            }
            raw.write(all.toByteArray());
            int invalid = 0;
            int limited = 0;
            while (invalid + limited < burst) {
                RawWebSocket.Frame f = raw.next(Ws.WAIT);
                if (f == null) {
                    fail("only " + (invalid + limited) + " of " + burst + " messages were answered");
                }
                assertThat(f.opcode()).as("a text frame, not a close").isEqualTo(RawWebSocket.TEXT);
                JsonNode n = Ws.tree(f.text());
                if (type(n).equals("heartbeat")) {
                    continue;
                }
                assertThat(type(n)).isEqualTo("error");
                if (n.path("code").asText().equals("rate_limited")) {
                    limited++;
                } else {
                    assertError(n, "invalid_message");
                    invalid++;
                }
            }
            System.out.println("burst of " + burst + " malformed messages: " + invalid + " invalid_message, "
                    + limited + " rate_limited");
            assertThat(limited).as("a burst of %s unreadable messages is a burst too (%s answered invalid_message, "
                    + "none rate_limited)", burst, invalid).isPositive();
        }
    }

    private static byte[] pad(int bytes) {
        // {"type":"ping","id":"xxxx..."}
        String prefix = "{\"type\":\"ping\",\"id\":\"";
        String suffix = "\"}";
        return (prefix + "x".repeat(bytes - prefix.length() - suffix.length()) + suffix)
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The head of a masked text frame announcing {@code length} bytes, without them. */
    private static byte[] head(int length) {
        byte[] whole = RawWebSocket.frame(RawWebSocket.TEXT, true, new byte[0]);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(14);
        b.put(whole[0]).put((byte) (0x80 | 127)).putLong(length).put(new byte[]{1, 2, 3, 4});
        return b.array();
    }

    @Test
    void aFrameAnnouncedBeyondTheTransportBoundIsRefusedWithCloseCode1009AtOnce() throws IOException {
        try (RawWebSocket raw = RawWebSocket.open(server, "/api/v1/ws")) {
            assertThat(raw.readHead()).isEqualTo(101);
            // only the head, announcing more than the transport's outer bound (16 x 64 KiB): the server must not
            // wait for (or buffer) a payload it would refuse anyway
            raw.write(head(16 * 64 * 1024 + 1));
            List<String> seen = new ArrayList<>();
            int code = raw.readUntilClose(Ws.WAIT, f -> seen.add(f.text()));
            assertThat(code).as("close code (-2: closed without a close frame, -3: still open, -4: reset); "
                    + "frames: " + seen).isEqualTo(1009);
            assertThat(seen).as("no frame before the close").isEmpty();
        }
    }

    @Test
    void aWholeFrameOver1MiBIsRefusedWithCloseCode1009() throws Exception {
        try (RawWebSocket raw = RawWebSocket.open(server, "/api/v1/ws")) {
            assertThat(raw.readHead()).isEqualTo(101);
            byte[] frame = RawWebSocket.frame(RawWebSocket.TEXT, true, pad(2 * 1024 * 1024));
            // written from another thread: the server stops reading once it has refused the frame
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try {
                    raw.write(frame);
                } catch (IOException e) {
                    // the server closed first, as it may
                }
            });
            List<String> seen = new ArrayList<>();
            int code = raw.readUntilClose(Ws.WAIT, f -> seen.add(f.text()));
            assertThat(code).as("close code (-2: closed without a close frame, -3: still open, -4: reset); "
                    + "frames: " + seen).isEqualTo(1009);
            assertThat(seen).as("no frame before the close").isEmpty();
            writing.get(Ws.WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    void aWholeFrameOver64KiBIsRefusedWithCloseCode1009() throws IOException {
        for (int opcode : List.of(RawWebSocket.TEXT, RawWebSocket.BINARY)) {
            try (RawWebSocket raw = RawWebSocket.open(server, "/api/v1/ws")) {
                assertThat(raw.readHead()).isEqualTo(101);
                raw.write(RawWebSocket.frame(opcode, true, pad(64 * 1024 + 1)));
                List<String> seen = new ArrayList<>();
                int code = raw.readUntilClose(Ws.WAIT, f -> seen.add(f.text()));
                assertThat(code).as("opcode %s: close code (-2: closed without a close frame, -3: still open, "
                        + "-4: reset); frames: %s", opcode, seen).isEqualTo(1009);
                assertThat(seen).as("the close is the whole answer: no error frame before it").isEmpty();
            }
        }
    }

    @Test
    void aFrameJustUnder64KiBIsServed() throws IOException {
        try (RawWebSocket raw = RawWebSocket.open(server, "/api/v1/ws")) {
            assertThat(raw.readHead()).isEqualTo(101);
            raw.write(RawWebSocket.frame(RawWebSocket.TEXT, true, pad(60 * 1024)));
            RawWebSocket.Frame f = raw.next(Ws.WAIT);
            assertThat(f).isNotNull();
            assertThat(f.opcode()).isEqualTo(RawWebSocket.TEXT);
            JsonNode p = Ws.tree(f.text());
            assertThat(type(p)).isEqualTo("pong");
            assertThat(p.get("id").asText()).hasSizeGreaterThan(60_000);
        }
    }

    @Test
    void aMessageOver64KiBInSmallFragmentsIsRefusedWithCloseCode1009() throws IOException {
        try (RawWebSocket raw = RawWebSocket.open(server, "/api/v1/ws")) {
            assertThat(raw.readHead()).isEqualTo(101);
            byte[] message = pad(96 * 1024);
            int third = message.length / 3;
            ByteArrayOutputStream frames = new ByteArrayOutputStream();
            frames.write(RawWebSocket.frame(RawWebSocket.TEXT, false, java.util.Arrays.copyOfRange(message, 0, third)));
            frames.write(RawWebSocket.frame(RawWebSocket.CONTINUATION, false,
                    java.util.Arrays.copyOfRange(message, third, 2 * third)));
            frames.write(RawWebSocket.frame(RawWebSocket.CONTINUATION, true,
                    java.util.Arrays.copyOfRange(message, 2 * third, message.length)));
            // then a ping: if the big message were silently dropped, its pong would be the only answer
            frames.write(RawWebSocket.text(Ws.ping("\"after\"")));
            raw.write(frames.toByteArray());
            List<String> seen = new ArrayList<>();
            int code = raw.readUntilClose(Ws.WAIT, f -> {
                seen.add(f.text());
                assertThat(f.text()).as("a 96 KiB message in three 32 KiB frames, then a ping: the server "
                        + "answered the ping without refusing the message (no close 1009, no error frame); "
                        + "frames: " + seen).doesNotContain("\"pong\"");
            });
            assertThat(code).as("a 96 KiB message in three 32 KiB frames: close code (-2: closed without a close "
                    + "frame, -3: still open, -4: reset); frames: " + seen).isEqualTo(1009);
        }
    }

    @Test
    void theUpgradeTakesTheTokenInTheHeaderOrAsAccessToken() {
        String id = Ws.create(server, "running");
        try (WsClient header = WsClient.connect(server, "/api/v1/jobs/" + id + "/ws", TestServer.TOKEN, false);
             WsClient query = WsClient.connect(server, "/api/v1/jobs/" + id + "/ws", TestServer.TOKEN, true);
             WsClient plain = WsClient.connect(server, "/api/v1/ws", TestServer.TOKEN, true)) {
            for (WsClient c : List.of(header, query)) {
                assertThat(c.until(n -> type(n).equals("snapshot"))).isNotEmpty();
            }
            plain.send(Ws.ping("\"q\""));
            assertThat(pong(plain).get("id").asText()).isEqualTo("q");
        }
    }

    @Test
    void noTokenOrABadOneIs401BeforeTheUpgrade() throws IOException {
        String id = Ws.create(server, "running");
        for (String path : List.of("/api/v1/ws", "/api/v1/jobs/" + id + "/ws")) {
            assertThat(WsClient.refusedStatus(server, path, null, false)).as(path + " without a token").isEqualTo(401);
            assertThat(WsClient.refusedStatus(server, path, "wrong", false)).as(path + " bad header").isEqualTo(401);
            assertThat(WsClient.refusedStatus(server, path, "wrong", true)).as(path + " bad access_token")
                    .isEqualTo(401);
            try (RawWebSocket raw = RawWebSocket.open(server, path, null, 0)) {
                assertThat(raw.readHead()).as(path + ": refused before the upgrade").isEqualTo(401);
                assertThat(raw.header("Upgrade")).isNull();
                assertThat(raw.header("Content-Type")).startsWith("application/json");
                assertThat(Ws.tree(raw.body()).at("/error/code").asText()).isEqualTo("unauthorized");
            }
        }
    }

    @Test
    void aPlainGetWithoutUpgradeIsAClientError() {
        HttpResponse<String> r = server.send(server.request("/api/v1/ws").timeout(Ws.WAIT).GET().build());
        assertThat(r.statusCode()).as(r.body()).isBetween(400, 499);
        HttpResponse<String> unauthenticated = server.send(HttpRequest.newBuilder(server.uri("/api/v1/ws"))
                .timeout(Ws.WAIT).GET().build());
        assertThat(unauthenticated.statusCode()).isEqualTo(401);
    }
}
