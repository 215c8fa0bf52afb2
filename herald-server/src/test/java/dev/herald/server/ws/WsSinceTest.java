package dev.herald.server.ws;

import dev.herald.server.support.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.herald.server.ws.Ws.isLog;
import static dev.herald.server.ws.Ws.type;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code since} on a WebSocket subscribe replays like {@code Last-Event-ID} (API §3, §4). */
class WsSinceTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String subscribeSince(String id, long version) {
        return "{\"type\":\"subscribe\",\"jobs\":[\"" + id + "\"],\"since\":{\"" + id + "\":" + version + "}}";
    }

    private static String describe(JsonNode n) {
        return switch (type(n)) {
            case "log" -> "log:" + n.at("/log/message").asText();
            case "status" -> "status:" + n.get("from").asText() + "->" + n.get("to").asText();
            default -> type(n);
        };
    }

    /** The frames after {@code subscribed}, up to and including the first snapshot. */
    private static List<JsonNode> replay(WsClient ws) {
        JsonNode sub = ws.next();
        assertThat(type(sub)).as("%s", sub).isEqualTo("subscribed");
        return ws.until(n -> type(n).equals("snapshot"));
    }

    /** After {@code subscribed}: the frames of a parent and its child, each up to its snapshot. */
    private static Map<String, List<String>> replayOf(WsClient ws, String parent, String child) {
        JsonNode sub = ws.next();
        assertThat(type(sub)).as("%s", sub).isEqualTo("subscribed");
        Map<String, List<String>> byJob = Map.of(parent, new ArrayList<>(), child, new ArrayList<>());
        while (!byJob.get(parent).contains("snapshot") || !byJob.get(child).contains("snapshot")) {
            JsonNode n = ws.next();
            List<String> frames = byJob.get(n.path("jobId").asText());
            assertThat(frames).as("a frame of the parent or the child: %s", n).isNotNull();
            frames.add(describe(n));
        }
        return byJob;
    }

    @Test
    void sinceReplaysEveryMissedStatusAndLogInOrderThenTheStateThenLiveEvents() {
        String id = Ws.create(server, "pending");
        long held;
        try (WsClient ws = WsClient.connect(server, "/api/v1/ws")) {
            ws.send(Ws.subscribe(id));
            assertThat(type(ws.next())).isEqualTo("subscribed");
            assertThat(type(ws.next())).isEqualTo("snapshot");
            Ws.progress(server, id, "{\"percent\":5}");
            Ws.log(server, id, "seen 1");
            Ws.log(server, id, "seen 2");
            List<JsonNode> seen = ws.until(n -> isLog(n, "seen 2"));
            held = seen.get(seen.size() - 1).get("version").asLong();
        }

        // while disconnected
        Ws.log(server, id, "missed 1");
        Ws.progress(server, id, "{\"percent\":20}");
        Ws.action(server, id, "retry", "{}");
        Ws.log(server, id, "missed 2");
        Ws.action(server, id, "start", "{}");
        Ws.progress(server, id, "{\"percent\":30,\"message\":\"after the restart of work\"}");
        Ws.log(server, id, "missed 3");
        Ws.progress(server, id, "{\"percent\":40}");
        JsonNode current = Ws.job(server, id);

        try (WsClient ws = WsClient.connect(server, "/api/v1/ws")) {
            ws.send(subscribeSince(id, held));
            List<JsonNode> events = replay(ws);
            assertThat(events).extracting(WsSinceTest::describe).containsExactly(
                    "log:missed 1", "status:running->queued", "log:missed 2", "status:queued->running",
                    "log:missed 3", "snapshot");
            long previous = held;
            for (JsonNode e : events) {
                long v = e.get("version").asLong();
                assertThat(v).as("only versions after since, in order: %s", e).isGreaterThan(previous);
                previous = v;
                assertThat(e.get("jobId").asText()).isEqualTo(id);
            }
            assertThat(events.get(events.size() - 1).get("job")).as("the current state").isEqualTo(current);

            Ws.log(server, id, "live");
            JsonNode live = ws.next();
            assertThat(describe(live)).isEqualTo("log:live");
            assertThat(live.get("version").asLong()).isGreaterThan(current.get("version").asLong());
        }
    }

    @Test
    void sinceZeroReplaysTheWholeRetainedHistory() {
        String id = Ws.create(server, "pending");
        Ws.action(server, id, "start", "{}");
        Ws.log(server, id, "l1");
        Ws.progress(server, id, "{\"percent\":50}");
        Ws.log(server, id, "l2");
        try (WsClient ws = WsClient.connect(server, "/api/v1/ws")) {
            ws.send(subscribeSince(id, 0));
            List<String> events = new ArrayList<>();
            for (JsonNode n : replay(ws)) {
                events.add(type(n).equals("status") ? "status:" + n.get("to").asText() : describe(n));
            }
            assertThat(events).containsExactly("status:pending", "status:running", "log:l1", "log:l2", "snapshot");
        }
    }

    @Test
    void sinceOnSomeJobsOfASubscribeOnlyReplaysThose() {
        String a = Ws.create(server, "running");
        String b = Ws.create(server, "running");
        long heldA = Ws.version(server, a);
        Ws.log(server, a, "a missed");
        Ws.log(server, b, "b before");
        Ws.action(server, a, "fail", "{\"error\":{\"message\":\"boom\"}}");
        try (WsClient ws = WsClient.connect(server, "/api/v1/ws")) {
            ws.send("{\"type\":\"subscribe\",\"jobs\":[\"" + a + "\",\"" + b + "\"],\"since\":{\"" + a + "\":"
                    + heldA + "}}");
            JsonNode sub = ws.next();
            assertThat(type(sub)).isEqualTo("subscribed");
            List<String> forA = new ArrayList<>();
            List<String> forB = new ArrayList<>();
            while (!forA.contains("snapshot") || !forB.contains("snapshot")) {
                JsonNode n = ws.next();
                (n.get("jobId").asText().equals(a) ? forA : forB).add(describe(n));
            }
            assertThat(forA).containsExactly("log:a missed", "status:running->failed", "snapshot");
            assertThat(forB).as("no since for b: just its state").containsExactly("snapshot");
        }
    }

    @Test
    void aReplayKeepsToTheTypesAsked() {
        String id = Ws.create(server, "running");
        long held = Ws.version(server, id);
        Ws.log(server, id, "missed log");
        Ws.action(server, id, "retry", "{}");
        Ws.progress(server, id, "{\"percent\":10}");
        Ws.log(server, id, "missed log 2");
        try (WsClient ws = WsClient.connect(server, "/api/v1/ws")) {
            ws.send("{\"type\":\"subscribe\",\"jobs\":[\"" + id + "\"],\"since\":{\"" + id + "\":" + held
                    + "},\"types\":[\"log\"]}");
            assertThat(replay(ws)).extracting(WsSinceTest::describe)
                    .containsExactly("log:missed log", "log:missed log 2", "snapshot");
        }
        try (WsClient ws = WsClient.connect(server, "/api/v1/ws")) {
            ws.send("{\"type\":\"subscribe\",\"jobs\":[\"" + id + "\"],\"since\":{\"" + id + "\":" + held
                    + "},\"types\":[\"status\"]}");
            assertThat(replay(ws)).extracting(WsSinceTest::describe)
                    .containsExactly("status:running->queued", "status:queued->running", "snapshot");
        }
    }

    @Test
    void sinceOnADescendantsSubscriptionReplaysTheChildrenItNames() {
        String parent = Ws.create(server, "running");
        String child = Ws.create(server, "running", parent);
        long heldParent = Ws.version(server, parent);
        long heldChild = Ws.version(server, child);

        // while disconnected
        Ws.log(server, child, "child missed");
        Ws.log(server, parent, "parent missed");
        Ws.action(server, child, "fail", "{\"error\":{\"message\":\"child boom\"}}");

        try (WsClient ws = WsClient.connect(server, "/api/v1/ws")) {
            ws.send("{\"type\":\"subscribe\",\"jobs\":[\"" + parent + "\"],\"descendants\":true,\"since\":{\""
                    + parent + "\":" + heldParent + ",\"" + child + "\":" + heldChild + "}}");
            Map<String, List<String>> replayed = replayOf(ws, parent, child);
            assertThat(replayed.get(parent)).as("the parent's replay").startsWith("log:parent missed", "snapshot");
            assertThat(replayed.get(child)).as("the child's missed events, replayed like Last-Event-ID on a descendants stream")
                    .containsExactly("log:child missed", "status:running->failed", "snapshot");
        }
    }

    @Test
    void sinceOnADescendantsSubscriptionReplaysAChildCreatedWhileAway() {
        String parent = Ws.create(server, "running");
        long heldParent;
        String subscribe = "{\"type\":\"subscribe\",\"jobs\":[\"" + parent + "\"],\"descendants\":true";
        try (WsClient ws = WsClient.connect(server, "/api/v1/ws")) {
            ws.send(subscribe + "}");
            List<JsonNode> first = replay(ws);
            assertThat(first).extracting(WsSinceTest::describe).containsExactly("snapshot");
            heldParent = first.get(0).get("version").asLong();
        }

        // while disconnected: a child the client cannot name comes and writes, and the parent changes
        String child = Ws.create(server, "pending", parent);
        Ws.log(server, child, "child missed");
        Ws.log(server, parent, "parent missed");

        try (WsClient ws = WsClient.connect(server, "/api/v1/ws")) {
            ws.send(subscribe + ",\"since\":{\"" + parent + "\":" + heldParent + "}}");
            Map<String, List<String>> replayed = replayOf(ws, parent, child);
            assertThat(replayed.get(parent)).as("the parent's replay").containsExactly("log:parent missed", "snapshot");
            assertThat(replayed.get(child)).as("the new child's events, replayed as Last-Event-ID would")
                    .containsExactly("status:null->pending", "log:child missed", "snapshot");
        }
    }

    @Test
    void sinceAtTheCurrentVersionGivesJustTheSnapshot() {
        String id = Ws.create(server, "running");
        Ws.log(server, id, "old");
        long v = Ws.version(server, id);
        try (WsClient ws = WsClient.connect(server, "/api/v1/ws")) {
            ws.send(subscribeSince(id, v));
            assertThat(replay(ws)).extracting(WsSinceTest::describe).containsExactly("snapshot");
            ws.send(subscribeSince(Ws.create(server, "running"), v + 1000));
            assertThat(replay(ws)).extracting(WsSinceTest::describe).containsExactly("snapshot");
        }
    }
}
