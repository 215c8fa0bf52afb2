package dev.herald.server.security;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.herald.server.support.RawHttp;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client that hangs up in the middle of a request body is not a failure of the server: no warning or error is
 * logged (an attacker could fill the log with them), and {@code herald_http_aborted_total} counts them.
 */
class CutOffBodyTest {
    private static final int REQUESTS = 20;
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
    void aBodyCutOffIsCountedNotLogged() throws IOException {
        for (int i = 0; i < REQUESTS; i++) {
            boolean reset = i % 2 == 0;
            try (Socket s = new Socket("127.0.0.1", server.server().port())) {
                s.setSoTimeout(30_000);
                // a reset could come before the server has read the head, and then there is no request to cut
                // off: those requests wait for the server's 100 Continue, which says it is reading the body
                String head = "POST /api/v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TestServer.TOKEN
                        + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n"
                        + (reset ? "Expect: 100-continue\r\n" : "") + "\r\n";
                s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
                if (reset) {
                    assertThat(RawHttp.readUntil(s.getInputStream(), "\r\n\r\n")).startsWith("HTTP/1.1 100");
                }
                s.getOutputStream().write("{\"type\":\"cut".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                if (reset) {
                    // a crashed client: a reset rather than an orderly end
                    s.setSoLinger(true, 0);
                }
            }
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(Sec.metric(server, "herald_http_aborted_total")).isEqualTo(REQUESTS));
        // the server still serves, and the cut-off requests made nothing
        assertThat(server.get("/api/v1/jobs").body()).doesNotContain("\"cut");
        assertThat(log.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .extracting(e -> e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage())
                .isEmpty();
    }
}
