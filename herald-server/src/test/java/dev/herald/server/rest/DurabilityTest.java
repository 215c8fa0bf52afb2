package dev.herald.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.support.KilledServers;
import dev.herald.server.support.KilledServers.Server;
import dev.herald.server.support.SseClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crash safety: a real server in its own JVM, killed with SIGKILL ({@code destroyForcibly}),
 * then started again on the same data folder.
 */
class DurabilityTest {
    private static final String TOKEN = KilledServers.TOKEN;
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final KilledServers servers = new KilledServers(http);

    @AfterEach
    void cleanUp() throws Exception {
        servers.close();
    }

    private Server launch(Path data) throws Exception {
        return servers.launch(data, null);
    }

    private HttpResponse<String> get(Server s, String path) throws Exception {
        return servers.get(s, path);
    }

    private HttpResponse<String> post(Server s, String path, String body) throws Exception {
        return servers.post(s, path, body);
    }

    private Path dataFolder() throws IOException {
        return servers.dataFolder();
    }

    private void awaitWriteBehind(Server s) throws Exception {
        servers.awaitWriteBehind(s);
    }

    @Test
    void aCompletedJobSurvivesKillMinus9RightAfterThe200() throws Exception {
        Path data = dataFolder();
        String id;
        String earlyCursor;
        List<Long> logSeqs = new ArrayList<>();
        Server first = launch(data);
        try {
            HttpResponse<String> created = post(first, "/api/v1/jobs", "{\"type\":\"crash\",\"name\":\"survivor\","
                    + "\"stages\":[{\"name\":\"parse\",\"weight\":20},{\"name\":\"load\",\"weight\":80}]}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            id = Rest.json(created).get("id").asText();
            try (SseClient sse = SseClient.open(http, URI.create(first.base() + "/api/v1/jobs/" + id + "/events"),
                    TOKEN, Map.of())) {
                assertThat(sse.status()).isEqualTo(200);
                SseClient.Event snapshot = sse.next(WAIT);
                assertThat(snapshot).isNotNull();
                assertThat(snapshot.event()).isEqualTo("snapshot");
                earlyCursor = snapshot.id();
            }
            assertThat(earlyCursor).as("the snapshot carries a cursor").isNotBlank();
            HttpResponse<String> p = post(first, "/api/v1/jobs/" + id + "/progress",
                    "{\"stage\":\"load\",\"current\":400,\"total\":1000,\"message\":\"loading\"}");
            assertThat(p.statusCode()).as(p.body()).isEqualTo(202);
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> l = post(first, "/api/v1/jobs/" + id + "/logs",
                        "{\"level\":\"info\",\"message\":\"log " + i + "\",\"fields\":{\"i\":" + i + "}}");
                assertThat(l.statusCode()).as(l.body()).isEqualTo(202);
                logSeqs.add(Rest.json(l).get("seq").asLong());
            }
            HttpResponse<String> done = post(first, "/api/v1/jobs/" + id + "/complete",
                    "{\"result\":{\"rows\":1000,\"file\":\"customers.csv\"}}");
            assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        } finally {
            KilledServers.kill(first); // SIGKILL as soon as the 200 is here: nothing gets a chance to flush
        }

        Server second = launch(data);
        try {
            HttpResponse<String> r = get(second, "/api/v1/jobs/" + id);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode job = Rest.json(r);
            assertThat(job.get("status").asText()).isEqualTo("completed");
            assertThat(job.get("name").asText()).isEqualTo("survivor");
            assertThat(job.at("/progress/percent").asDouble()).isEqualTo(100.0);
            assertThat(job.at("/result/rows").asInt()).isEqualTo(1000);
            assertThat(job.at("/result/file").asText()).isEqualTo("customers.csv");
            assertThat(job.get("finishedAt").asText()).matches(Rest.TIME);

            JsonNode result = Rest.json(get(second, "/api/v1/jobs/" + id + "/result"));
            assertThat(result.at("/result/rows").asInt()).isEqualTo(1000);

            JsonNode logs = Rest.json(get(second, "/api/v1/jobs/" + id + "/logs")).get("items");
            assertThat(logs).hasSize(3);
            for (int i = 0; i < 3; i++) {
                assertThat(logs.get(i).get("seq").asLong()).isEqualTo(logSeqs.get(i));
                assertThat(logs.get(i).get("message").asText()).isEqualTo("log " + i);
                assertThat(logs.get(i).at("/fields/i").asInt()).isEqualTo(i);
            }

            // the retained status and log events, replayed from the early cursor, in order
            try (SseClient sse = SseClient.open(http, URI.create(second.base() + "/api/v1/jobs/" + id + "/events"),
                    TOKEN, Map.of("Last-Event-ID", earlyCursor))) {
                assertThat(sse.status()).as(sse.status() == 200 ? "" : sse.errorBody()).isEqualTo(200);
                List<String> seen = new ArrayList<>();
                List<String> logMessages = new ArrayList<>();
                boolean completedSeen = false;
                while (!completedSeen) {
                    SseClient.Event e = sse.next(WAIT);
                    assertThat(e).as("replay ends with the completed status; had %s", seen).isNotNull();
                    JsonNode d = Rest.JSON.readTree(e.data());
                    if (e.event().equals("status")) {
                        seen.add(d.path("from").asText() + "->" + d.path("to").asText());
                        completedSeen = d.path("to").asText().equals("completed");
                    } else if (e.event().equals("log")) {
                        seen.add("log");
                        logMessages.add(d.at("/log/message").asText());
                    } else {
                        seen.add(e.event());
                    }
                }
                assertThat(seen).as("replayed events").contains("pending->running", "running->completed");
                assertThat(seen.indexOf("pending->running")).isLessThan(seen.indexOf("running->completed"));
                assertThat(logMessages).containsExactly("log 0", "log 1", "log 2");
                assertThat(seen.lastIndexOf("log")).isLessThan(seen.indexOf("running->completed"));
            }
        } finally {
            KilledServers.kill(second);
        }
    }

    @Test
    void progressSurvivesKillMinus9AfterSomeFlushIntervals() throws Exception {
        Path data = dataFolder();
        String id;
        String other;
        Server first = launch(data);
        try {
            HttpResponse<String> created = post(first, "/api/v1/jobs", "{\"type\":\"crash\",\"total\":1000}");
            assertThat(created.statusCode()).isEqualTo(201);
            id = Rest.json(created).get("id").asText();
            HttpResponse<String> running = post(first, "/api/v1/jobs", "{\"type\":\"crash\",\"status\":\"running\"}");
            other = Rest.json(running).get("id").asText();
            for (int i = 1; i <= 20; i++) {
                HttpResponse<String> p = post(first, "/api/v1/jobs/" + id + "/progress",
                        "{\"current\":" + (i * 10) + ",\"message\":\"at " + (i * 10) + "\"}");
                assertThat(p.statusCode()).as(p.body()).isEqualTo(202);
            }
            HttpResponse<String> batch = post(first, "/api/v1/progress:batch",
                    "[{\"jobId\":\"" + other + "\",\"percent\":33.5,\"message\":\"batched\"}]");
            assertThat(batch.statusCode()).isEqualTo(200);
            awaitWriteBehind(first);
        } finally {
            KilledServers.kill(first);
        }

        Server second = launch(data);
        try {
            JsonNode job = Rest.json(get(second, "/api/v1/jobs/" + id));
            assertThat(job.get("status").asText()).isEqualTo("running");
            assertThat(job.at("/progress/current").asInt()).isEqualTo(200);
            assertThat(job.at("/progress/percent").asDouble()).isEqualTo(20.0);
            assertThat(job.at("/progress/message").asText()).isEqualTo("at 200");
            JsonNode batched = Rest.json(get(second, "/api/v1/jobs/" + other));
            assertThat(batched.at("/progress/percent").asDouble()).isEqualTo(33.5);
            assertThat(batched.at("/progress/message").asText()).isEqualTo("batched");
        } finally {
            KilledServers.kill(second);
        }
    }
}
