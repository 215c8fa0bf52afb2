package dev.herald.server.sse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.support.SseClient;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.herald.server.sse.Jobs.data;
import static dev.herald.server.sse.Jobs.next;
import static dev.herald.server.sse.Jobs.tree;
import static dev.herald.server.sse.Jobs.until;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /api/v1/events?jobs=A,B,C} (API §3). */
class SseMultiJobTest {
    private static TestServer server;
    private static List<String> thousand;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void streamsSnapshotsThenEventsOfTheListedJobsOnly() {
        String a = Jobs.create(server, "pending");
        String b = Jobs.create(server, "running");
        String c = Jobs.create(server, "queued");
        String d = Jobs.create(server, "running");
        try (SseClient sse = SseClient.open(server, "/api/v1/events?jobs=" + a + "," + b + "," + c)) {
            assertThat(sse.status()).isEqualTo(200);
            assertThat(sse.header("Content-Type")).startsWith("text/event-stream");
            Set<String> snapshots = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                SseClient.Event e = next(sse);
                assertThat(e.event()).isEqualTo("snapshot");
                assertThat(e.id()).isNotBlank();
                JsonNode job = data(e).get("job");
                assertThat(job.get("id").asText()).isEqualTo(data(e).get("jobId").asText());
                snapshots.add(job.get("id").asText());
            }
            assertThat(snapshots).containsExactlyInAnyOrder(a, b, c);

            Jobs.log(server, d, "of d");
            Jobs.progress(server, d, "{\"percent\":10}");
            Jobs.progress(server, a, "{\"percent\":10}");
            Jobs.log(server, b, "of b");
            Jobs.action(server, c, "start", "{}");
            Jobs.log(server, d, "of d again");
            Jobs.action(server, d, "complete", "{}");
            Jobs.log(server, a, "of a");
            Jobs.action(server, b, "cancel", "{}");
            Jobs.log(server, c, "last");

            List<SseClient.Event> events = until(sse, Jobs.logMessage("last"));
            Map<String, Long> versions = new HashMap<>();
            Set<String> seen = new HashSet<>();
            List<String> kinds = new ArrayList<>();
            for (SseClient.Event e : events) {
                JsonNode data = data(e);
                String job = data.get("jobId").asText();
                assertThat(job).as("no event of an unlisted job: " + e).isIn(a, b, c);
                seen.add(job);
                long v = data.get("version").asLong();
                Long before = versions.put(job, v);
                assertThat(before == null || v > before).as("versions increase per job: " + e).isTrue();
                kinds.add(job.equals(a) ? "a:" + e.event() : job.equals(b) ? "b:" + e.event() : "c:" + e.event());
            }
            assertThat(seen).containsExactlyInAnyOrder(a, b, c);
            assertThat(kinds).contains("a:status", "a:log", "b:log", "b:status", "c:status", "c:log");
        }
    }

    @Test
    void anUnknownIdAmongThemRefusesTheWholeRequestWith404() {
        String a = Jobs.create(server, "running");
        String b = Jobs.create(server, "running");
        String unknown = "j_0000000000000000000000000A";
        for (String jobs : List.of(a + "," + unknown + "," + b, unknown, a + ",not-an-id," + b, a + ",," + b,
                a + ",j_0000000000000000000000000I")) {
            try (SseClient sse = SseClient.open(server, "/api/v1/events?jobs=" + jobs)) {
                assertThat(sse.status()).as(jobs).isEqualTo(404);
                assertThat(sse.header("Content-Type")).startsWith("application/json");
                assertThat(tree(sse.errorBody()).at("/error/code").asText()).isEqualTo("not_found");
            }
        }
    }

    /** 1000 jobs, made once for the tests of the limit, in parallel so the group commit takes them together. */
    private static synchronized List<String> thousandJobs() throws Exception {
        if (thousand == null) {
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                List<Future<String>> made = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    made.add(pool.submit(() -> Jobs.create(server, "running")));
                }
                List<String> ids = new ArrayList<>();
                for (Future<String> f : made) {
                    ids.add(f.get(60, TimeUnit.SECONDS));
                }
                thousand = ids;
            } finally {
                pool.shutdownNow();
            }
        }
        return thousand;
    }

    /** A client of its own: HTTP/1.1 only, or the default (HTTP/2 over cleartext when the server agrees). */
    private static HttpClient client(HttpClient.Version version) {
        return HttpClient.newBuilder().version(version).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(HttpClient.Version.class)
    void moreThanAThousandIdsAreRefusedBeforeTheStream(HttpClient.Version version) throws Exception {
        List<String> ids = new ArrayList<>(thousandJobs());
        ids.add(Jobs.create(server, "running"));
        HttpClient http = client(version);
        // a first small request, so that an HTTP/2 client has upgraded its connection
        assertThat(Jobs.job(server, ids.get(0)).get("id").asText()).isEqualTo(ids.get(0));
        try (SseClient warm = SseClient.open(http, server.uri("/api/v1/events?jobs=" + ids.get(0)), TestServer.TOKEN,
                Map.of())) {
            assertThat(warm.status()).isEqualTo(200);
        }
        try (SseClient sse = SseClient.open(http, server.uri("/api/v1/events?jobs=" + String.join(",", ids)),
                TestServer.TOKEN, Map.of())) {
            assertThat(sse.status()).isIn(413, 400);
            assertThat(sse.header("Content-Type")).startsWith("application/json");
            assertThat(tree(sse.errorBody()).at("/error/code").asText()).isIn("too_large", "invalid_field");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(HttpClient.Version.class)
    void aThousandIdsAreAccepted(HttpClient.Version version) throws Exception {
        List<String> ids = thousandJobs();
        HttpClient http = client(version);
        try (SseClient warm = SseClient.open(http, server.uri("/api/v1/events?jobs=" + ids.get(0)), TestServer.TOKEN,
                Map.of())) {
            assertThat(warm.status()).isEqualTo(200);
        }
        try (SseClient sse = SseClient.open(http, server.uri("/api/v1/events?jobs=" + String.join(",", ids)),
                TestServer.TOKEN, Map.of())) {
            assertThat(sse.status()).isEqualTo(200);
            Set<String> snapshots = new HashSet<>();
            for (int i = 0; i < 1000; i++) {
                SseClient.Event e = next(sse);
                assertThat(e.event()).isEqualTo("snapshot");
                snapshots.add(data(e).get("jobId").asText());
            }
            assertThat(snapshots).containsExactlyInAnyOrderElementsOf(ids);
            String marker = "to the last, over " + version;
            Jobs.log(server, ids.get(999), marker);
            assertThat(data(next(sse)).at("/log/message").asText()).isEqualTo(marker);
        }
    }

    @Test
    void missingOrEmptyJobsIsRefused() {
        for (String path : List.of("/api/v1/events", "/api/v1/events?jobs=")) {
            try (SseClient sse = SseClient.open(server, path)) {
                assertThat(sse.status()).as(path).isIn(400, 404);
                assertThat(sse.header("Content-Type")).startsWith("application/json");
            }
        }
    }
}
