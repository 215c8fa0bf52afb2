package dev.herald.server.sse;

import dev.herald.core.event.JobEvent;
import dev.herald.core.event.StreamCursor;
import dev.herald.core.model.Job;
import dev.herald.core.model.LogLevel;
import dev.herald.core.model.LogLine;
import dev.herald.core.port.JobStore;
import dev.herald.core.port.WriteBatch;
import dev.herald.server.support.SseClient;
import dev.herald.server.support.TestServer;
import dev.herald.store.jdbc.JdbcStores;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.herald.server.sse.Jobs.data;
import static dev.herald.server.sse.Jobs.until;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A cursor from a node a moment ahead of this one (docs/cluster.md §3.2): past what this node has
 * published, but given out by the store, it still resumes. Another store on the same PostgreSQL
 * schema plays the node ahead, committing events this server has not published.
 */
class SseCursorAheadTest {
    private static final String POSTGRES = "postgresql://postgres@127.0.0.1:5432/test";

    @Test
    void aCursorAheadOfThisNodeButGivenOutByTheStoreResumesFromIt() throws Exception {
        String schema = "herald_ahead_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String location = POSTGRES + "?schema=" + schema;
        try (TestServer server = TestServer.start(o -> o.withStore(location));
             JobStore ahead = JdbcStores.open(location)) {
            String id = Jobs.create(server, "running");
            Job job = server.server().engine().get(id).join();
            List<JobEvent> written = ahead.write(new WriteBatch()
                    .event(JobEvent.log(job, new LogLine(1, Instant.now(), LogLevel.INFO, "had", null)))
                    .event(JobEvent.log(job, new LogLine(2, Instant.now(), LogLevel.INFO, "missed", null)))).events();
            String cursor = new StreamCursor(ahead.epoch(), written.get(0).position()).encode();
            assertThat(written.get(0).position()).isGreaterThan(server.server().engine().streams().position());

            try (SseClient sse = SseClient.open(server.client(), server.uri("/api/v1/jobs/" + id + "/events"),
                    TestServer.TOKEN, Map.of("Last-Event-ID", cursor))) {
                assertThat(until(sse, e -> e.event().equals("snapshot")))
                        .extracting(e -> e.event() + ":" + data(e).at("/log/message").asText(""))
                        .containsExactly("log:missed", "snapshot:");
            }
        } finally {
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", null);
                 Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }
}
