package dev.herald.server.sse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.support.SseClient;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.herald.server.sse.Jobs.data;
import static dev.herald.server.sse.Jobs.next;
import static dev.herald.server.sse.Jobs.tree;
import static dev.herald.server.sse.Jobs.until;
import static org.assertj.core.api.Assertions.assertThat;

/** Resuming a stream with {@code Last-Event-ID} or {@code lastEventId} (API §3). */
class SseReplayTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static SseClient resume(TestServer s, String path, String cursor, boolean header) {
        if (header) {
            return SseClient.open(s.client(), s.uri(path), TestServer.TOKEN, Map.of("Last-Event-ID", cursor));
        }
        String sep = path.contains("?") ? "&" : "?";
        return SseClient.open(s, path + sep + "lastEventId=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
    }

    /** What the reader expects to see again: the missed status and log events, as "type:detail". */
    private static String describe(SseClient.Event e) {
        JsonNode d = data(e);
        return switch (e.event()) {
            case "log" -> "log:" + d.at("/log/message").asText();
            case "status" -> "status:" + d.get("from").asText() + "->" + d.get("to").asText();
            default -> e.event();
        };
    }

    /**
     * Replayed events after the ones already held (version at most {@code held}, which the
     * client drops), up to and including the snapshot that ends the replay.
     */
    private static List<SseClient.Event> replayed(SseClient sse, long held) {
        List<SseClient.Event> out = new ArrayList<>();
        for (SseClient.Event e : until(sse, e -> e.event().equals("snapshot"))) {
            if (data(e).get("version").asLong() > held || e.event().equals("snapshot")) {
                out.add(e);
            }
        }
        return out;
    }

    @ParameterizedTest(name = "cursor in the {0}")
    @ValueSource(strings = {"header", "query"})
    void aReconnectReceivesEveryMissedStatusAndLogInOrderThenTheStateThenLiveEvents(String where) {
        boolean header = where.equals("header");
        String id = Jobs.create(server, "pending");
        String path = "/api/v1/jobs/" + id + "/events";
        String cursor;
        long held;
        try (SseClient sse = SseClient.open(server, path)) {
            assertThat(next(sse).event()).isEqualTo("snapshot");
            Jobs.progress(server, id, "{\"percent\":5}");
            Jobs.log(server, id, "seen 1");
            Jobs.log(server, id, "seen 2");
            List<SseClient.Event> seen = until(sse, Jobs.logMessage("seen 2"));
            SseClient.Event last = seen.get(seen.size() - 1);
            cursor = last.id();
            held = data(last).get("version").asLong();
        }

        // while disconnected
        Jobs.log(server, id, "missed 1");
        Jobs.progress(server, id, "{\"percent\":20}");
        Jobs.action(server, id, "retry", "{}");
        Jobs.log(server, id, "missed 2");
        Jobs.action(server, id, "start", "{}");
        Jobs.progress(server, id, "{\"percent\":30,\"message\":\"after the restart of work\"}");
        Jobs.log(server, id, "missed 3");
        Jobs.progress(server, id, "{\"percent\":40}");
        JsonNode current = Jobs.job(server, id);

        try (SseClient sse = resume(server, path, cursor, header)) {
            assertThat(sse.status()).isEqualTo(200);
            List<SseClient.Event> events = replayed(sse, held);
            assertThat(events).extracting(SseReplayTest::describe).containsExactly(
                    "log:missed 1", "status:running->queued", "log:missed 2", "status:queued->running",
                    "log:missed 3", "snapshot");
            long previous = held;
            for (SseClient.Event e : events) {
                long v = data(e).get("version").asLong();
                assertThat(v).as("in version order: " + e).isGreaterThanOrEqualTo(previous);
                previous = v;
                assertThat(e.id()).isNotBlank();
            }
            JsonNode snapshot = data(events.get(events.size() - 1));
            assertThat(snapshot.get("job")).as("the current state").isEqualTo(current);

            Jobs.log(server, id, "live");
            SseClient.Event live = next(sse);
            assertThat(describe(live)).isEqualTo("log:live");
            assertThat(data(live).get("version").asLong()).isGreaterThan(current.get("version").asLong());
        }
    }

    @Test
    void aCursorFromTheSnapshotResumesOnAListOfJobs() {
        String a = Jobs.create(server, "running");
        String b = Jobs.create(server, "running");
        String path = "/api/v1/events?jobs=" + a + "," + b;
        String cursor;
        try (SseClient sse = SseClient.open(server, path)) {
            next(sse);
            cursor = next(sse).id();
        }
        Jobs.log(server, a, "a missed");
        Jobs.action(server, b, "fail", "{\"error\":{\"message\":\"boom\"}}");
        Jobs.log(server, a, "a missed again");
        try (SseClient sse = resume(server, path, cursor, true)) {
            List<SseClient.Event> events = until(sse, e -> e.event().equals("snapshot"));
            events.add(next(sse));
            assertThat(events).extracting(SseReplayTest::describe)
                    .containsExactly("log:a missed", "status:running->failed", "log:a missed again", "snapshot",
                            "snapshot");
        }
    }

    @Test
    void aReplayKeepsToTheTypesAsked() {
        String id = Jobs.create(server, "running");
        String cursor;
        try (SseClient sse = SseClient.open(server, "/api/v1/jobs/" + id + "/events")) {
            cursor = next(sse).id();
        }
        Jobs.log(server, id, "missed log");
        Jobs.action(server, id, "retry", "{}");
        Jobs.progress(server, id, "{\"percent\":10}");
        Jobs.log(server, id, "missed log 2");
        try (SseClient sse = resume(server, "/api/v1/jobs/" + id + "/events?types=log", cursor, true)) {
            List<SseClient.Event> events = until(sse, e -> e.event().equals("snapshot"));
            assertThat(events).extracting(SseReplayTest::describe)
                    .containsExactly("log:missed log", "log:missed log 2", "snapshot");
        }
        try (SseClient sse = resume(server, "/api/v1/jobs/" + id + "/events?types=status", cursor, false)) {
            List<SseClient.Event> events = until(sse, e -> e.event().equals("snapshot"));
            assertThat(events).extracting(SseReplayTest::describe)
                    .containsExactly("status:running->queued", "status:queued->running", "snapshot");
        }
    }

    @Test
    void aMalformedCursorIs400() {
        String id = Jobs.create(server, "running");
        String path = "/api/v1/jobs/" + id + "/events";
        for (String bad : List.of("garbage", "abc-", "-12", "ab_c-12", "abc-zz!", "abc--1", "x".repeat(80) + "-1")) {
            for (boolean header : List.of(true, false)) {
                try (SseClient sse = resume(server, path, bad, header)) {
                    assertThat(sse.status()).as(bad + (header ? " in the header" : " in the query")).isEqualTo(400);
                    JsonNode error = tree(sse.errorBody()).get("error");
                    assertThat(error.get("code").asText()).isEqualTo("invalid_field");
                }
            }
        }
    }

    @Test
    void aCursorFromAnotherServerGivesJustTheSnapshot() {
        String foreign;
        try (TestServer other = TestServer.start()) {
            String otherId = Jobs.create(other, "running");
            Jobs.log(other, otherId, "elsewhere");
            try (SseClient sse = SseClient.open(other, "/api/v1/jobs/" + otherId + "/events")) {
                foreign = next(sse).id();
            }
        }
        String id = Jobs.create(server, "running");
        Jobs.log(server, id, "before");
        Jobs.action(server, id, "retry", "{}");
        for (String cursor : List.of(foreign, "zzzzzzzzzzzz-1", "0-0")) {
            for (boolean header : List.of(true, false)) {
                try (SseClient sse = resume(server, "/api/v1/jobs/" + id + "/events", cursor, header)) {
                    assertThat(sse.status()).as(cursor).isEqualTo(200);
                    SseClient.Event first = next(sse);
                    assertThat(first.event()).as("nothing replayed for a cursor of another store").isEqualTo("snapshot");
                    String marker = "marker " + cursor + header;
                    Jobs.log(server, id, marker);
                    assertThat(describe(next(sse))).isEqualTo("log:" + marker);
                }
            }
        }
    }

    @Test
    void aCursorAheadOfTheStoreGivesJustTheSnapshotWithTheRealPosition() {
        String id = Jobs.create(server, "running");
        String epoch;
        String real;
        try (SseClient sse = SseClient.open(server, "/api/v1/jobs/" + id + "/events")) {
            real = next(sse).id();
            epoch = real.substring(0, real.indexOf('-'));
        }
        for (boolean header : List.of(true, false)) {
            try (SseClient sse = resume(server, "/api/v1/jobs/" + id + "/events", epoch + "-zzzzzz", header)) {
                SseClient.Event first = next(sse);
                assertThat(first.event()).isEqualTo("snapshot");
                assertThat(first.id()).as("a position this store has not reached is never echoed").isEqualTo(real);
            }
        }
    }

    @Test
    void retainedEventsAreReplayedAcrossARestart() throws Exception {
        Path dir = Files.createTempDirectory("herald-sse-restart");
        try {
            String id;
            String cursor;
            long held;
            try (TestServer first = TestServer.startOn(dir)) {
                id = Jobs.create(first, "running");
                try (SseClient sse = SseClient.open(first, "/api/v1/jobs/" + id + "/events")) {
                    next(sse);
                    Jobs.log(first, id, "before the restart");
                    SseClient.Event e = until(sse, Jobs.logMessage("before the restart")).get(0);
                    cursor = e.id();
                    held = data(e).get("version").asLong();
                }
            }
            try (TestServer second = TestServer.startOn(dir)) {
                Jobs.log(second, id, "after 1");
                Jobs.action(second, id, "retry", "{}");
                Jobs.progress(second, id, "{\"percent\":50}");
                Jobs.log(second, id, "after 2");
                JsonNode current = Jobs.job(second, id);
                try (SseClient sse = resume(second, "/api/v1/jobs/" + id + "/events", cursor, true)) {
                    assertThat(sse.status()).isEqualTo(200);
                    List<SseClient.Event> events = replayed(sse, held);
                    assertThat(events).extracting(SseReplayTest::describe)
                            .containsExactly("log:after 1", "status:running->queued", "status:queued->running",
                                    "log:after 2", "snapshot");
                    assertThat(data(events.get(events.size() - 1)).get("job")).isEqualTo(current);
                }
            }
        } finally {
            TestServer.deleteRecursively(dir);
        }
    }
}
