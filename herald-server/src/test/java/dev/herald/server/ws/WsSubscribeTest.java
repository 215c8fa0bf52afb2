package dev.herald.server.ws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.edge.Limits;
import dev.herald.server.support.SseClient;
import dev.herald.server.support.TestServer;
import dev.herald.server.support.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static dev.herald.server.ws.Ws.assertError;
import static dev.herald.server.ws.Ws.is;
import static dev.herald.server.ws.Ws.isLog;
import static dev.herald.server.ws.Ws.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Subscribing over a WebSocket (API §4): what arrives, in which order, and in which form. */
class WsSubscribeTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** The next SSE event (not a comment), as JSON, failing when none comes. */
    private static JsonNode sseNext(SseClient sse) {
        SseClient.Event e = sse.next(Ws.WAIT);
        if (e == null) {
            fail("no SSE event within " + Ws.WAIT + " (ended: " + sse.ended() + ")");
        }
        JsonNode d = Ws.tree(e.data());
        assertThat(type(d)).as("SSE event name and data type").isEqualTo(e.event());
        return d;
    }

    /** Reads the answer to a subscribe: the {@code subscribed} frame and one snapshot per job subscribed. */
    private static Map<String, JsonNode> subscribed(WsClient ws, String... jobs) {
        JsonNode first = ws.next();
        assertThat(type(first)).as("the first answer: %s", first).isEqualTo("subscribed");
        List<String> ids = new ArrayList<>();
        first.get("jobs").forEach(j -> ids.add(j.asText()));
        assertThat(ids).as("subscribed jobs").containsExactlyInAnyOrder(jobs);
        Map<String, JsonNode> snapshots = new HashMap<>();
        for (int i = 0; i < jobs.length; i++) {
            JsonNode s = ws.next();
            assertThat(type(s)).as("a snapshot per job: %s", s).isEqualTo("snapshot");
            assertThat(snapshots.put(s.get("jobId").asText(), s)).as("one snapshot per job").isNull();
        }
        assertThat(snapshots.keySet()).containsExactlyInAnyOrder(jobs);
        return snapshots;
    }

    @Test
    void severalJobsInOneMessageStreamTheSameJsonAsSse() {
        String a = Ws.create(server, "pending");
        String b = Ws.create(server, "running");
        try (WsClient ws = WsClient.connect(server, "/api/v1/ws");
             SseClient sse = SseClient.open(server, "/api/v1/events?jobs=" + a + "," + b)) {
            assertThat(sse.status()).isEqualTo(200);
            ws.send(Ws.subscribe(a, b));
            Map<String, JsonNode> snapshots = subscribed(ws, a, b);
            Map<String, JsonNode> sseSnapshots = new HashMap<>();
            for (int i = 0; i < 2; i++) {
                JsonNode s = sseNext(sse);
                assertThat(type(s)).isEqualTo("snapshot");
                sseSnapshots.put(s.get("jobId").asText(), s);
            }
            for (String id : List.of(a, b)) {
                JsonNode w = snapshots.get(id);
                assertThat(w.get("version").asLong()).isEqualTo(sseSnapshots.get(id).get("version").asLong());
                assertThat(w.get("job")).as("snapshot state of " + id).isEqualTo(sseSnapshots.get(id).get("job"));
                assertThat(w.get("job")).as("the snapshot is the current state").isEqualTo(Ws.job(server, id));
            }

            // each change, one at a time: the WebSocket frame and the SSE data must be the same JSON
            List<Runnable> changes = List.of(
                    () -> Ws.progress(server, a, "{\"current\":1,\"total\":10,\"message\":\"first\"}"),
                    () -> Ws.progress(server, a, "{\"current\":5,\"total\":10,\"message\":\"line\\nbreak \\\"q\\\"\"}"),
                    () -> Ws.log(server, b, "hello from b"),
                    () -> Ws.progress(server, b, "{\"percent\":42.5,\"metadata\":{\"rows\":7}}"),
                    () -> Ws.log(server, a, "ünïcödé ✓ and a\ttab"),
                    () -> Ws.action(server, b, "complete", "{\"result\":{\"rows\":7}}"),
                    () -> Ws.action(server, a, "fail", "{\"error\":{\"code\":\"E1\",\"message\":\"boom\"}}"));
            List<String> seenTypes = new ArrayList<>();
            for (Runnable change : changes) {
                change.run();
                JsonNode w = ws.next();
                JsonNode s = sseNext(sse);
                assertThat(w).as("WebSocket frame vs SSE data").isEqualTo(s);
                assertThat(w.get("jobId").asText()).isIn(a, b);
                assertThat(w.get("version").asLong()).isPositive();
                if (!type(w).equals("log")) {
                    assertThat(w.at("/job/version").asLong()).isEqualTo(w.get("version").asLong());
                    assertThat(w.at("/job/id").asText()).isEqualTo(w.get("jobId").asText());
                }
                seenTypes.add(type(w));
            }
            assertThat(seenTypes).as("types of the live events")
                    .containsExactly("status", "progress", "log", "progress", "log", "status", "status");
        }
    }

    @Test
    void aJobSocketIsSubscribedOnConnect() {
        String id = Ws.create(server, "running");
        Ws.log(server, id, "before");
        try (WsClient ws = WsClient.connect(server, "/api/v1/jobs/" + id + "/ws")) {
            // nothing sent: the snapshot comes by itself (an optional "subscribed" frame first)
            JsonNode first = ws.next();
            if (type(first).equals("subscribed")) {
                assertThat(first.get("jobs")).hasSize(1);
                assertThat(first.get("jobs").get(0).asText()).isEqualTo(id);
                first = ws.next();
            }
            assertThat(type(first)).isEqualTo("snapshot");
            assertThat(first.get("jobId").asText()).isEqualTo(id);
            assertThat(first.get("job")).isEqualTo(Ws.job(server, id));

            Ws.progress(server, id, "{\"percent\":50}");
            JsonNode p = ws.next();
            assertThat(type(p)).isEqualTo("progress");
            assertThat(p.at("/job/progress/percent").asDouble()).isEqualTo(50.0);
            Ws.log(server, id, "live");
            assertThat(isLog(ws.next(), "live")).isTrue();

            // the socket speaks the protocol like /ws: more jobs can be added by message
            String other = Ws.create(server, "running");
            ws.send(Ws.subscribe(other));
            subscribed(ws, other);
            Ws.log(server, other, "other");
            assertThat(isLog(ws.next(), "other")).isTrue();
        }
    }

    @Test
    void aJobSocketForAnUnknownJobAnswersNotFound() {
        try (WsClient ws = WsClient.connect(server, "/api/v1/jobs/" + Ws.UNKNOWN_ID + "/ws")) {
            JsonNode e = ws.next();
            assertError(e, "not_found");
            // the connection stays usable
            ws.send(Ws.ping("\"still\""));
            List<JsonNode> pong = ws.until(n -> type(n).equals("pong"));
            assertThat(pong.get(pong.size() - 1).get("id").asText()).isEqualTo("still");
        }
    }

    @Test
    void unsubscribeStopsThatJobOnly() {
        String a = Ws.create(server, "running");
        String b = Ws.create(server, "running");
        try (WsClient ws = WsClient.connect(server, "/api/v1/ws")) {
            ws.send(Ws.subscribe(a, b));
            subscribed(ws, a, b);
            Ws.log(server, a, "a before");
            assertThat(isLog(ws.next(), "a before")).isTrue();

            ws.send(Ws.unsubscribe(a));
            JsonNode u = ws.next();
            assertThat(type(u)).as("%s", u).isEqualTo("unsubscribed");
            assertThat(u.get("jobs")).hasSize(1);
            assertThat(u.get("jobs").get(0).asText()).isEqualTo(a);

            Ws.log(server, a, "a after");
            Ws.progress(server, a, "{\"percent\":10}");
            Ws.action(server, a, "complete", "{}");
            Ws.log(server, b, "b after");
            JsonNode next = ws.next();
            assertThat(isLog(next, "b after")).as("a's events stop, b's go on; got %s", next).isTrue();
            Ws.progress(server, b, "{\"percent\":20}");
            JsonNode p = ws.next();
            assertThat(is(p, "progress", b)).as("%s", p).isTrue();

            // subscribing again brings a back
            ws.send(Ws.subscribe(a));
            Map<String, JsonNode> again = subscribed(ws, a);
            assertThat(again.get(a).at("/job/status").asText()).isEqualTo("completed");
        }
    }

    @Test
    void anUnsubscribeRightAfterASubscribeLeavesTheJobUnsubscribed() throws Exception {
        String b = Ws.create(server, "running");
        for (int round = 0; round < 5; round++) {
            String a = Ws.create(server, "running");
            try (RawWebSocket raw = RawWebSocket.open(server, "/api/v1/ws")) {
                assertThat(raw.readHead()).isEqualTo(101);
                java.io.ByteArrayOutputStream both = new java.io.ByteArrayOutputStream();
                both.write(RawWebSocket.text(Ws.subscribe(a)));
                both.write(RawWebSocket.text(Ws.unsubscribe(a)));
                raw.write(both.toByteArray());   // in one burst: the unsubscribe may meet the subscribe still opening
                JsonNode unsubscribed = null;
                while (unsubscribed == null) {
                    RawWebSocket.Frame f = raw.next(Ws.WAIT);
                    assertThat(f).as("an answer to the unsubscribe").isNotNull();
                    JsonNode n = Ws.tree(f.text());
                    if (type(n).equals("unsubscribed")) {
                        unsubscribed = n;
                    }
                }
                Ws.log(server, a, "a after the unsubscribe");
                raw.sendText(Ws.subscribe(b));
                List<JsonNode> rest = new ArrayList<>();
                while (rest.isEmpty() || !is(rest.get(rest.size() - 1), "snapshot", b)) {
                    RawWebSocket.Frame f = raw.next(Ws.WAIT);
                    assertThat(f).as("b's snapshot").isNotNull();
                    rest.add(Ws.tree(f.text()));
                }
                Ws.log(server, b, "b marker");
                while (!isLog(rest.get(rest.size() - 1), "b marker")) {
                    RawWebSocket.Frame f = raw.next(Ws.WAIT);
                    assertThat(f).as("b's log").isNotNull();
                    rest.add(Ws.tree(f.text()));
                }
                for (JsonNode n : rest) {
                    assertThat(n.path("jobId").asText()).as("nothing of the unsubscribed job after %s: %s",
                            unsubscribed, rest).isNotEqualTo(a);
                    assertThat(type(n)).as("%s", rest).isNotEqualTo("error");
                }
            }
        }
    }

    @Test
    void subscribingAJobTwiceDoesNotDoubleItsEvents() {
        String a = Ws.create(server, "running");
        String b = Ws.create(server, "running");
        try (WsClient ws = WsClient.connect(server, "/api/v1/jobs/" + a + "/ws")) {
            ws.until(n -> type(n).equals("snapshot"));
            ws.send(Ws.subscribe(a, a));
            JsonNode again = ws.until(n -> type(n).equals("subscribed")).get(0);
            assertThat(type(again)).as("the answer to a repeated subscribe: %s", again).isEqualTo("subscribed");
            ws.send(Ws.subscribe(b));
            ws.until(n -> is(n, "snapshot", b));
            Ws.log(server, a, "once");
            Ws.log(server, b, "marker");
            List<JsonNode> got = ws.until(n -> isLog(n, "marker"));
            assertThat(got.stream().filter(n -> isLog(n, "once")).count()).as("frames of one log line: %s", got)
                    .isEqualTo(1);
        }
    }

    @Test
    void aSubscribeToASubscribedJobReplacesItWithTheNewOptions() {
        String parent = Ws.create(server, "running");
        try (WsClient ws = WsClient.connect(server, "/api/v1/ws")) {
            ws.send(Ws.subscribe(parent));
            subscribed(ws, parent);
            Ws.log(server, parent, "seen");
            List<JsonNode> seen = ws.until(n -> isLog(n, "seen"));
            long held = seen.get(seen.size() - 1).get("version").asLong();
            // a child the plain subscription does not stream
            String child = Ws.create(server, "pending", parent);
            Ws.log(server, child, "child before");

            ws.send("{\"type\":\"subscribe\",\"jobs\":[\"" + parent + "\"],\"descendants\":true,"
                    + "\"types\":[\"log\",\"status\"],\"since\":{\"" + parent + "\":" + held + "}}");
            List<JsonNode> before = ws.until(n -> type(n).equals("subscribed"));
            for (JsonNode n : before.subList(0, before.size() - 1)) {
                assertThat(n.path("jobId").asText()).as("before the answer, only the old subscription: %s", n)
                        .isEqualTo(parent);
            }
            JsonNode sub = before.get(before.size() - 1);
            assertThat(sub.get("jobs")).as("%s", sub).hasSize(1);
            assertThat(sub.get("jobs").get(0).asText()).isEqualTo(parent);
            // the new options apply: descendants and since replay the child, then a snapshot per job
            List<String> replay = new ArrayList<>();
            while (replay.stream().filter(r -> r.startsWith("snapshot")).count() < 2) {
                JsonNode n = ws.next();
                String what = type(n).equals("log") ? "log:" + n.at("/log/message").asText() : type(n);
                replay.add(what + ":" + (n.path("jobId").asText().equals(parent) ? "parent" : "child"));
            }
            assertThat(replay).containsExactlyInAnyOrder("status:child", "log:child before:child",
                    "snapshot:parent", "snapshot:child");
            assertThat(replay.subList(0, 2)).containsExactly("status:child", "log:child before:child");

            // and types: progress no more; the old subscription is gone, so nothing comes twice
            Ws.progress(server, parent, "{\"percent\":10}");
            Ws.log(server, child, "child live");
            Ws.log(server, parent, "once");
            Ws.log(server, child, "marker");
            List<JsonNode> live = ws.until(n -> isLog(n, "marker"));
            assertThat(live).extracting(n -> type(n).equals("log") ? n.at("/log/message").asText() : type(n))
                    .as("live events of the replacing subscription").containsExactly("child live", "once", "marker");
        }
    }

    @Test
    void aReplacedSubscriptionCountsOnceTowardsTheLimit() {
        Limits d = Limits.defaults();
        Limits three = new Limits(d.maxBodyBytes(), d.maxMessageChars(), d.maxMetadataBytes(), d.maxResultBytes(),
                d.maxDepth(), d.maxNameChars(), d.maxStages(), d.maxBatchEntries(), d.maxLogFieldsBytes(), 3);
        try (TestServer small = TestServer.start(o -> o.withLimits(three));
             WsClient ws = WsClient.connect(small, "/api/v1/ws")) {
            String a = Ws.create(small, "running");
            String b = Ws.create(small, "running");
            String c = Ws.create(small, "running");
            String d4 = Ws.create(small, "running");
            ws.send(Ws.subscribe(a, b, c));
            subscribed(ws, a, b, c);
            ws.send(Ws.subscribe(a));
            subscribed(ws, a);
            ws.send(Ws.subscribe(c, b));
            subscribed(ws, c, b);
            ws.send(Ws.subscribe(d4));
            assertError(ws.next(), "too_many_subscriptions");
            ws.send(Ws.unsubscribe(a));
            assertThat(ws.next().get("jobs")).hasSize(1);
            ws.send(Ws.subscribe(d4, b));
            subscribed(ws, d4, b);
            Ws.log(small, d4, "d");
            assertThat(isLog(ws.next(), "d")).isTrue();
        }
    }

    @Test
    void unknownJobsOfAMultiJobSubscribeAreNotFoundWhileTheOthersStream() {
        String a = Ws.create(server, "running");
        String b = Ws.create(server, "running");
        try (WsClient ws = WsClient.connect(server, "/api/v1/ws")) {
            String message = Ws.subscribe(a, Ws.UNKNOWN_ID, "not-a-job-id", b);
            ws.send(message);
            JsonNode error = null;
            JsonNode subscribed = null;
            List<String> snapshots = new ArrayList<>();
            while (error == null || subscribed == null || snapshots.size() < 2) {
                JsonNode n = ws.next();
                switch (type(n)) {
                    case "error" -> {
                        assertThat(error).as("one error: %s", n).isNull();
                        error = assertError(n, "not_found");
                    }
                    case "subscribed" -> subscribed = n;
                    case "snapshot" -> snapshots.add(n.get("jobId").asText());
                    default -> fail("unexpected " + n);
                }
            }
            assertThat(error.get("message").asText()).contains(Ws.UNKNOWN_ID);
            assertThat(error.get("ref")).as("ref is the request").isEqualTo(Ws.tree(message));
            List<String> ids = new ArrayList<>();
            subscribed.get("jobs").forEach(j -> ids.add(j.asText()));
            assertThat(ids).containsExactlyInAnyOrder(a, b);
            assertThat(snapshots).containsExactlyInAnyOrder(a, b);

            Ws.log(server, a, "a live");
            assertThat(isLog(ws.next(), "a live")).isTrue();
            Ws.log(server, b, "b live");
            assertThat(isLog(ws.next(), "b live")).isTrue();
        }
    }

    @Test
    void typesKeepOnlyTheEventTypesAsked() {
        String id = Ws.create(server, "running");
        String other = Ws.create(server, "running");
        try (WsClient logs = WsClient.connect(server, "/api/v1/ws");
             WsClient states = WsClient.connect(server, "/api/v1/ws")) {
            logs.send("{\"type\":\"subscribe\",\"jobs\":[\"" + id + "\"],\"types\":[\"log\"]}");
            subscribed(logs, id);
            states.send("{\"type\":\"subscribe\",\"jobs\":[\"" + id + "\"],\"types\":[\"progress\",\"status\"]}");
            subscribed(states, id);

            Ws.progress(server, id, "{\"percent\":10}");
            Ws.log(server, id, "one");
            Ws.action(server, id, "retry", "{}");
            Ws.action(server, id, "start", "{}");
            Ws.log(server, id, "two");
            Ws.progress(server, id, "{\"percent\":30}");
            Ws.log(server, id, "three");
            Ws.action(server, id, "complete", "{}");

            assertThat(isLog(logs.next(), "one")).isTrue();
            assertThat(isLog(logs.next(), "two")).isTrue();
            assertThat(isLog(logs.next(), "three")).isTrue();
            // the completion is not for a log reader: the next thing it sees is what comes after it
            logs.send("{\"type\":\"subscribe\",\"jobs\":[\"" + other + "\"],\"types\":[\"log\"]}");
            List<String> rest = new ArrayList<>();
            // a log line written before the subscription's snapshot is not a live event: wait for the snapshot first
            for (JsonNode n : logs.until(n -> is(n, "snapshot", other))) {
                rest.add(type(n) + ":" + n.path("jobId").asText(n.path("jobs").toString()));
            }
            Ws.log(server, other, "after");
            for (JsonNode n : logs.until(n -> isLog(n, "after"))) {
                rest.add(type(n) + ":" + n.path("jobId").asText(n.path("jobs").toString()));
            }
            assertThat(rest).as("no status or progress for a log reader")
                    .containsExactly("subscribed:[\"" + other + "\"]", "snapshot:" + other, "log:" + other);

            List<String> seen = new ArrayList<>();
            for (JsonNode n : states.until(n -> type(n).equals("status") && n.path("to").asText().equals("completed"))) {
                assertThat(type(n)).as("only progress and status: %s", n).isIn("progress", "status");
                seen.add(type(n) + (type(n).equals("status") ? ":" + n.get("to").asText() : ""));
            }
            assertThat(seen).as("progress may be conflated, status never")
                    .containsSubsequence("status:queued", "status:running", "status:completed");
        }
    }

    @Test
    void descendantsIncludeChildrenCreatedAfterTheSubscription() {
        String parent = Ws.create(server, "running");
        String early = Ws.create(server, "running", parent);
        try (WsClient tree = WsClient.connect(server, "/api/v1/ws");
             WsClient flat = WsClient.connect(server, "/api/v1/ws")) {
            tree.send("{\"type\":\"subscribe\",\"jobs\":[\"" + parent + "\"],\"descendants\":true}");
            JsonNode sub = tree.next();
            assertThat(type(sub)).as("%s", sub).isEqualTo("subscribed");
            assertThat(sub.get("jobs").get(0).asText()).isEqualTo(parent);
            List<String> snapshots = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                JsonNode n = tree.next();
                assertThat(type(n)).as("a snapshot per job of the subtree: %s", n).isEqualTo("snapshot");
                snapshots.add(n.get("jobId").asText());
            }
            assertThat(snapshots).containsExactlyInAnyOrder(parent, early);
            flat.send(Ws.subscribe(parent));
            subscribed(flat, parent);

            String child = Ws.create(server, "pending", parent);
            List<JsonNode> created = tree.until(n -> type(n).equals("status") && n.get("jobId").asText().equals(child));
            JsonNode create = created.get(created.size() - 1);
            assertThat(create.get("to").asText()).isEqualTo("pending");
            assertThat(create.at("/job/parentId").asText()).isEqualTo(parent);

            Ws.progress(server, child, "{\"current\":3,\"total\":4}");
            Ws.progress(server, child, "{\"current\":4,\"total\":4,\"message\":\"child done\"}");
            Predicate<JsonNode> lastChildProgress = n -> n.get("jobId") != null
                    && n.get("jobId").asText().equals(child) && n.at("/job/progress/message").asText().equals("child done");
            List<JsonNode> events = tree.until(lastChildProgress);
            assertThat(events).as("the child's start").anyMatch(n -> is(n, "status", child)
                    && n.get("to").asText().equals("running"));
            Ws.log(server, early, "early child log");
            assertThat(tree.until(n -> isLog(n, "early child log"))).isNotEmpty();

            // a subscription without descendants sees the parent only
            Ws.log(server, parent, "marker");
            for (JsonNode n : flat.until(n -> isLog(n, "marker"))) {
                assertThat(n.get("jobId").asText()).as("only the parent: %s", n).isEqualTo(parent);
            }
        }
    }
}
