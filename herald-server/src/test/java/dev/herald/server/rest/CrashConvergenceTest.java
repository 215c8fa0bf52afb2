package dev.herald.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.support.KilledServers;
import dev.herald.server.support.KilledServers.Server;
import dev.herald.server.support.SseClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14 item 2: after a kill -9, a reader that holds the last version a client was told (progress that may never
 * have reached the store) converges on the state the server kept, without another write: the start gives the job a
 * version above any handed out. On the embedded store and on PostgreSQL.
 */
class CrashConvergenceTest {
    private static final String POSTGRES = "postgresql://postgres@127.0.0.1:5432/test";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final KilledServers servers = new KilledServers(http);
    private String schema;

    @AfterEach
    void cleanUp() throws Exception {
        servers.close();
        if (schema != null) {
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", null);
                 Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aReaderHoldingTheLastToldVersionConvergesAfterKillMinus9(String kind) throws Exception {
        Path data = servers.dataFolder();
        String store = null;
        if (kind.equals("postgresql")) {
            schema = "herald_crash_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            store = POSTGRES + "?schema=" + schema;
        }
        Server first = servers.launch(data, store);
        String id;
        long told;
        String cursor;
        try {
            HttpResponse<String> created = servers.post(first, "/api/v1/jobs", "{\"type\":\"crash\",\"total\":100}");
            id = Rest.json(created).get("id").asText();
            assertThat(servers.post(first, "/api/v1/jobs/" + id + "/progress", "{\"current\":10}").statusCode())
                    .isEqualTo(202);
            servers.awaitWriteBehind(first);
            try (SseClient sse = SseClient.open(http, URI.create(first.base() + "/api/v1/jobs/" + id + "/events"),
                    KilledServers.TOKEN, Map.of())) {
                assertThat(sse.next(WAIT).event()).isEqualTo("snapshot");
                HttpResponse<String> last = servers.post(first, "/api/v1/jobs/" + id + "/progress",
                        "{\"current\":20}");
                assertThat(last.statusCode()).as(last.body()).isEqualTo(202);
                told = Rest.json(last).get("version").asLong();
                SseClient.Event event = sse.next(WAIT);
                assertThat(event.event()).isEqualTo("progress");
                assertThat(Rest.JSON.readTree(event.data()).get("version").asLong()).isEqualTo(told);
                cursor = event.id();
            }
        } finally {
            KilledServers.kill(first); // the last progress may or may not have been flushed: either way v told is held
        }

        Server second = servers.launch(data, store);
        // a long poll past the version held is answered with a newer one, not left to time out
        HttpResponse<String> polled = servers.get(second, "/api/v1/jobs/" + id + "?waitForVersion=" + told
                + "&timeoutMs=20000");
        assertThat(polled.statusCode()).as(polled.body()).isEqualTo(200);
        JsonNode job = Rest.json(polled);
        assertThat(job.get("version").asLong()).as("a version above the one held").isGreaterThan(told);
        assertThat(job.at("/progress/current").asDouble()).as("the state the store kept").isIn(10.0, 20.0);
        assertThat(Rest.json(servers.get(second, "/api/v1/jobs/" + id))).isEqualTo(job);

        // a reader at v told that reconnects with its cursor gets the new state
        try (SseClient sse = SseClient.open(http, URI.create(second.base() + "/api/v1/jobs/" + id + "/events"),
                KilledServers.TOKEN, Map.of("Last-Event-ID", cursor))) {
            assertThat(sse.status()).as(sse.status() == 200 ? "" : sse.errorBody()).isEqualTo(200);
            SseClient.Event e = sse.next(WAIT);
            assertThat(e).isNotNull();
            JsonNode state = Rest.JSON.readTree(e.data()).get("job");
            assertThat(state.get("version").asLong()).isGreaterThan(told);
            assertThat(state).isEqualTo(job);
        }
    }
}
