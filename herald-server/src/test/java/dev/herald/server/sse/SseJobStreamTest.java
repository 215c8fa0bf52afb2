package dev.herald.server.sse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.server.support.SseClient;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.herald.server.sse.Jobs.data;
import static dev.herald.server.sse.Jobs.next;
import static dev.herald.server.sse.Jobs.statusTo;
import static dev.herald.server.sse.Jobs.tree;
import static dev.herald.server.sse.Jobs.until;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /api/v1/jobs/{id}/events} (API §3): framing, snapshot, live events, types, tokens, injection. */
class SseJobStreamTest {
    private static final String TIME = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void streamStartsWithRetryHeadersAndASnapshotOfTheFullJob() {
        String id = Jobs.create(server, "pending");
        JsonNode job = Jobs.job(server, id);
        try (SseClient sse = SseClient.open(server, "/api/v1/jobs/" + id + "/events")) {
            assertThat(sse.status()).isEqualTo(200);
            assertThat(sse.header("Content-Type")).startsWith("text/event-stream");
            SseClient.Event first = next(sse);
            assertThat(sse.retry()).as("retry: 2000 line").isEqualTo(2000);
            assertThat(first.event()).isEqualTo("snapshot");
            assertThat(first.id()).as("every event has an id").isNotBlank();
            JsonNode d = data(first);
            assertThat(d.get("type").asText()).isEqualTo("snapshot");
            assertThat(d.get("jobId").asText()).isEqualTo(id);
            assertThat(d.get("version").asLong()).isEqualTo(job.get("version").asLong());
            assertThat(d.get("time").asText()).matches(TIME);
            assertThat(d.get("job")).as("the snapshot carries the job as GET /jobs/{id} shows it").isEqualTo(job);
            for (String field : List.of("id", "type", "name", "project", "status", "progress", "attempt",
                    "createdAt", "updatedAt", "version")) {
                assertThat(d.get("job").has(field)).as("job field " + field).isTrue();
            }
        }
    }

    @Test
    void liveEventsFromAConcurrentProducerArriveInVersionOrderEndingWithTheFinalState() throws Exception {
        String id = Jobs.create(server, "pending");
        int updates = 500;
        try (SseClient sse = SseClient.open(server, "/api/v1/jobs/" + id + "/events")) {
            SseClient.Event snapshot = next(sse);
            assertThat(snapshot.event()).isEqualTo("snapshot");

            List<String> logsSent = new ArrayList<>();
            CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
                for (int i = 1; i <= updates; i++) {
                    Jobs.progress(server, id, "{\"current\":" + i + ",\"total\":" + updates
                            + ",\"message\":\"row " + i + "\"}");
                    if (i % 50 == 0) {
                        String m = "reached " + i;
                        Jobs.log(server, id, m);
                        logsSent.add(m);
                    }
                }
                Jobs.action(server, id, "complete", "{\"result\":{\"rows\":" + updates + "}}");
            });

            List<SseClient.Event> events = until(sse, statusTo("completed"));
            producer.get(60, TimeUnit.SECONDS);
            JsonNode finalJob = Jobs.job(server, id);

            long previous = data(snapshot).get("version").asLong();
            List<String> statuses = new ArrayList<>();
            List<String> logs = new ArrayList<>();
            List<Long> seqs = new ArrayList<>();
            for (SseClient.Event e : events) {
                assertThat(e.id()).as("id of " + e).isNotBlank();
                assertThat(e.event()).isIn("status", "progress", "log");
                JsonNode d = data(e);
                assertThat(d.get("type").asText()).as("type of " + e).isEqualTo(e.event());
                assertThat(d.get("jobId").asText()).isEqualTo(id);
                assertThat(d.get("time").asText()).matches(TIME);
                long v = d.get("version").asLong();
                assertThat(v).as("versions strictly increase: " + e).isGreaterThan(previous);
                previous = v;
                if (e.event().equals("log")) {
                    assertThat(d.has("job")).as("a log event has no job").isFalse();
                    logs.add(d.at("/log/message").asText());
                    seqs.add(d.at("/log/seq").asLong());
                    assertThat(d.at("/log/level").asText()).isEqualTo("info");
                } else {
                    assertThat(d.at("/job/id").asText()).isEqualTo(id);
                    assertThat(d.at("/job/version").asLong()).as("the job at the event's version").isEqualTo(v);
                }
                if (e.event().equals("status")) {
                    statuses.add(d.get("from").asText() + "->" + d.get("to").asText());
                    assertThat(d.at("/job/status").asText()).isEqualTo(d.get("to").asText());
                }
            }
            assertThat(statuses).containsExactly("pending->running", "running->completed");
            assertThat(logs).as("every log line, in order").containsExactlyElementsOf(logsSent);
            assertThat(seqs).isSorted().doesNotHaveDuplicates();

            JsonNode last = data(events.get(events.size() - 1));
            assertThat(last.get("version").asLong()).isEqualTo(finalJob.get("version").asLong());
            assertThat(last.at("/job/progress/current").asDouble()).isEqualTo(updates);
            assertThat(last.at("/job/progress/percent").asDouble()).isEqualTo(100.0);
            assertThat(last.at("/job/result/rows").asInt()).isEqualTo(updates);
        }
    }

    @Test
    void typesWhitelistKeepsOnlyThoseTypesButAlwaysTheSnapshot() {
        String id = Jobs.create(server, "pending");
        try (SseClient sse = SseClient.open(server, "/api/v1/jobs/" + id + "/events?types=progress,status")) {
            assertThat(sse.status()).isEqualTo(200);
            assertThat(next(sse).event()).isEqualTo("snapshot");
            Jobs.log(server, id, "not wanted 1");
            Jobs.progress(server, id, "{\"current\":1,\"total\":10}");
            Jobs.log(server, id, "not wanted 2");
            Jobs.progress(server, id, "{\"current\":5,\"total\":10}");
            Jobs.log(server, id, "not wanted 3");
            Jobs.action(server, id, "complete", "{}");
            List<SseClient.Event> events = until(sse, statusTo("completed"));
            assertThat(events).extracting(SseClient.Event::event).doesNotContain("log").contains("progress")
                    .startsWith("status");
            long previous = 0;
            for (SseClient.Event e : events) {
                long v = data(e).get("version").asLong();
                assertThat(v).isGreaterThan(previous);
                previous = v;
            }
        }
    }

    @Test
    void typesLogOnlyGetsTheSnapshotThenLogs() {
        String id = Jobs.create(server, "running");
        try (SseClient sse = SseClient.open(server, "/api/v1/jobs/" + id + "/events?types=log")) {
            assertThat(next(sse).event()).isEqualTo("snapshot");
            Jobs.progress(server, id, "{\"current\":1,\"total\":10}");
            Jobs.log(server, id, "one");
            Jobs.action(server, id, "retry", "{}");
            Jobs.action(server, id, "start", "{}");
            Jobs.log(server, id, "two");
            List<SseClient.Event> events = until(sse, Jobs.logMessage("two"));
            assertThat(events).extracting(SseClient.Event::event).containsExactly("log", "log");
        }
    }

    @Test
    void anUnknownTypeIsRefusedWith400BeforeTheStream() {
        String id = Jobs.create(server, "pending");
        for (String types : List.of("progress,bogus", "Progress", "progress,", "")) {
            try (SseClient sse = SseClient.open(server, "/api/v1/jobs/" + id + "/events?types=" + types)) {
                assertThat(sse.status()).as("types=" + types).isEqualTo(400);
                assertThat(sse.header("Content-Type")).startsWith("application/json");
                JsonNode error = tree(sse.errorBody()).get("error");
                assertThat(error.get("code").asText()).isEqualTo("invalid_field");
                assertThat(error.get("field").asText()).isEqualTo("types");
            }
        }
    }

    @Test
    void anUnknownOrMalformedJobIs404BeforeTheStream() {
        for (String id : List.of("j_0000000000000000000000000A", "nope", "j_%3Cscript%3E")) {
            try (SseClient sse = SseClient.open(server, "/api/v1/jobs/" + id + "/events")) {
                assertThat(sse.status()).as(id).isEqualTo(404);
                assertThat(sse.header("Content-Type")).startsWith("application/json");
                assertThat(tree(sse.errorBody()).at("/error/code").asText()).isEqualTo("not_found");
            }
        }
    }

    @Test
    void accessTokenQueryParameterWorksOnStreamsWithoutAHeader() {
        String id = Jobs.create(server, "running");
        URI withToken = server.uri("/api/v1/jobs/" + id + "/events?access_token=" + TestServer.TOKEN);
        try (SseClient sse = SseClient.open(server.client(), withToken, null, Map.of())) {
            assertThat(sse.status()).isEqualTo(200);
            assertThat(next(sse).event()).isEqualTo("snapshot");
            Jobs.log(server, id, "with a query token");
            assertThat(data(next(sse)).at("/log/message").asText()).isEqualTo("with a query token");
        }
        URI list = server.uri("/api/v1/events?jobs=" + id + "&access_token=" + TestServer.TOKEN);
        try (SseClient sse = SseClient.open(server.client(), list, null, Map.of())) {
            assertThat(sse.status()).isEqualTo(200);
            assertThat(next(sse).event()).isEqualTo("snapshot");
        }
    }

    @Test
    void aStreamWithoutOrWithABadTokenIs401() {
        String id = Jobs.create(server, "running");
        for (String path : List.of("/api/v1/jobs/" + id + "/events", "/api/v1/jobs/" + id + "/events?access_token=wrong",
                "/api/v1/events?jobs=" + id, "/api/v1/events?jobs=" + id + "&access_token=")) {
            try (SseClient sse = SseClient.open(server.client(), server.uri(path), null, Map.of())) {
                assertThat(sse.status()).as(path).isEqualTo(401);
                assertThat(tree(sse.errorBody()).at("/error/code").asText()).isEqualTo("unauthorized");
            }
        }
        try (SseClient sse = SseClient.open(server.client(), server.uri("/api/v1/jobs/" + id + "/events"), "wrong",
                Map.of())) {
            assertThat(sse.status()).isEqualTo(401);
        }
    }

    @Test
    void theQueryTokenIsForStreamsOnly() {
        String id = Jobs.create(server, "running");
        for (String path : List.of("/api/v1/jobs/" + id, "/api/v1/jobs/" + id + "/logs")) {
            HttpResponse<String> r = server.send(java.net.http.HttpRequest.newBuilder(
                    server.uri(path + "?access_token=" + TestServer.TOKEN)).GET().build());
            assertThat(r.statusCode()).as(path).isEqualTo(401);
        }
    }

    @Test
    void textThatLooksLikeFramingArrivesAsExactlyOneEventWithTheOriginalText() {
        String evil = "\n\ndata: x\n\nevent: status\n";
        String id = Jobs.create(server, "running");
        try (SseClient sse = SseClient.open(server, "/api/v1/jobs/" + id + "/events")) {
            assertThat(next(sse).event()).isEqualTo("snapshot");

            Jobs.progress(server, id, "{\"message\":" + Jobs.quote(evil) + "}");
            Jobs.log(server, id, evil);
            ObjectNode fields = Jobs.JSON.createObjectNode().put("crlf", "a\r\nb\r\n\r\ndata: y\r\n\r\n")
                    .put("cr", "c\rd\r\re");
            HttpResponse<String> withFields = server.post("/api/v1/jobs/" + id + "/logs",
                    Jobs.JSON.createObjectNode().put("level", "warn").put("message", "fields").set("fields", fields)
                            .toString());
            assertThat(withFields.statusCode()).as(withFields.body()).isEqualTo(202);
            ObjectNode metadata = Jobs.JSON.createObjectNode().put("text", "x\r\n\r\nevent: deleted\r\ndata: {}\r\n");
            Jobs.progress(server, id, Jobs.JSON.createObjectNode().set("metadata", metadata).toString());
            Jobs.log(server, id, "end");

            List<SseClient.Event> events = until(sse, Jobs.logMessage("end"));
            assertThat(events).extracting(SseClient.Event::event)
                    .as("exactly one event per change, nothing extra")
                    .containsExactly("progress", "log", "log", "progress", "log");
            assertThat(data(events.get(0)).at("/job/progress/message").asText()).isEqualTo(evil);
            assertThat(data(events.get(1)).at("/log/message").asText()).isEqualTo(evil);
            assertThat(data(events.get(2)).at("/log/fields")).isEqualTo(fields);
            assertThat(data(events.get(3)).at("/job/progress/metadata")).isEqualTo(metadata);
        }
    }

    /**
     * A message with CR LF: the server may refuse CR in messages (400 invalid_field, as
     * {@code RequestsTest} documents) but if it takes the message, the stream must carry it
     * intact as one event.
     */
    @Test
    void aMessageWithCrLfIsEitherRefusedOrArrivesIntactAsOneEvent() {
        String crlf = "line 1\r\nline 2\r\n\r\ndata: x\r\n\r\nevent: status\r\n";
        String id = Jobs.create(server, "running");
        try (SseClient sse = SseClient.open(server, "/api/v1/jobs/" + id + "/events")) {
            assertThat(next(sse).event()).isEqualTo("snapshot");
            HttpResponse<String> p = server.post("/api/v1/jobs/" + id + "/progress",
                    "{\"message\":" + Jobs.quote(crlf) + "}");
            HttpResponse<String> l = server.post("/api/v1/jobs/" + id + "/logs",
                    "{\"level\":\"info\",\"message\":" + Jobs.quote(crlf) + "}");
            Jobs.log(server, id, "end");
            List<SseClient.Event> events = until(sse, Jobs.logMessage("end"));
            List<String> expected = new ArrayList<>();
            for (HttpResponse<String> r : List.of(p, l)) {
                if (r.statusCode() == 400) {
                    assertThat(tree(r.body()).at("/error/field").asText()).isEqualTo("message");
                } else {
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
                    expected.add(r == p ? "progress" : "log");
                }
            }
            expected.add("log");
            assertThat(events).extracting(SseClient.Event::event).containsExactlyElementsOf(expected);
            for (SseClient.Event e : events.subList(0, events.size() - 1)) {
                JsonNode d = data(e);
                assertThat(e.event().equals("log") ? d.at("/log/message").asText()
                        : d.at("/job/progress/message").asText()).isEqualTo(crlf);
            }
        }
    }
}
