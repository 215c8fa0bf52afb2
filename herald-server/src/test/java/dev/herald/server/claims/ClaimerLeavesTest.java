package dev.herald.server.claims;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker that hangs up while its claim waits (a runner closing, a worker killed) is not a failure of the
 * server: nothing is logged as a warning or an error, and a job that arrives next goes to a claimer still there.
 */
class ClaimerLeavesTest {
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private TestServer server;

    @BeforeEach
    void start() {
        log.start();
        root.addAppender(log);
        server = TestServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
        root.detachAppender(log);
    }

    @Test
    void aClaimerThatLeavesMidWaitIsNeitherLoggedNorGivenTheNextJob() throws IOException {
        String type = ClaimsCases.newType();
        String body = "{\"types\":[\"" + type + "\"],\"worker\":\"gone\",\"leaseMs\":30000,\"waitMs\":30000}";
        try (Socket s = new Socket("127.0.0.1", server.server().port())) {
            String request = "POST /api/v1/jobs:claim HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + TestServer.TOKEN + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
            s.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            // a crashed worker: a reset rather than an orderly end
            s.setSoLinger(true, 0);
        }
        HttpResponse<String> created = server.post("/api/v1/jobs",
                "{\"type\":\"" + type + "\",\"status\":\"queued\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = ClaimsCases.json(created).get("id").asText();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> r = server.post("/api/v1/jobs:claim",
                    "{\"types\":[\"" + type + "\"],\"worker\":\"here\",\"leaseMs\":30000,\"waitMs\":0}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(ClaimsCases.json(r).get("id").asText()).isEqualTo(id);
            assertThat(ClaimsCases.json(r).get("attempt").asInt()).isEqualTo(1);
        });
        assertThat(log.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .extracting(e -> e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage())
                .isEmpty();
    }
}
