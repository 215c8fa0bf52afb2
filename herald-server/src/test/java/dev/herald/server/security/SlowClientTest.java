package dev.herald.server.security;

import dev.herald.server.support.RawHttp;
import dev.herald.server.support.TestServer;
import dev.herald.server.support.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static dev.herald.server.security.Sec.API;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Slow-loris protection over raw sockets: a connection that never finishes its request head is closed after
 * the header timeout however slowly it trickles bytes, while served connections, streams and WebSockets
 * outlive it.
 */
class SlowClientTest {
    private static final Duration HEADER_TIMEOUT = Duration.ofMillis(500);
    /** Far beyond the header timeout: what a connection that is not cut off would last. */
    private static final long PATIENCE_MS = 15_000;
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(o -> o.withHeaderTimeout(HEADER_TIMEOUT));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", server.server().port());
        s.setSoTimeout((int) PATIENCE_MS);
        return s;
    }

    /** True when the server closed the connection before the patience ran out (reads end or writes fail). */
    private static boolean closedByServer(Socket s, byte[] trickle, long everyMs) throws IOException {
        return RawHttp.closedByServer(s, trickle, everyMs, PATIENCE_MS);
    }

    /**
     * Asserts that for {@code d} the server neither closed {@code s} nor sent on it: a read with that deadline must
     * time out, where a closed connection would end it at once.
     */
    private static void assertQuietlyOpen(Socket s, Duration d) throws IOException {
        s.setSoTimeout((int) d.toMillis());
        try {
            int b = s.getInputStream().read();
            fail(b == -1 ? "the server closed the connection within " + d : "unexpected byte " + b + " within " + d);
        } catch (SocketTimeoutException expected) {
            // still open, and silent
        } finally {
            s.setSoTimeout((int) PATIENCE_MS);
        }
    }

    @Test
    void aConnectionThatSendsNothingIsClosed() throws IOException {
        try (Socket s = connect()) {
            assertThat(closedByServer(s, new byte[0], 100)).isTrue();
        }
    }

    @Test
    void aRequestHeadTrickledByteByByteIsCutOff() throws IOException {
        try (Socket s = connect()) {
            s.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            // one header byte every 50 ms: never idle, never finished
            byte[] header = "X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n".getBytes(StandardCharsets.US_ASCII);
            assertThat(closedByServer(s, header, 50)).isTrue();
        }
    }

    @Test
    void aServedKeepAliveConnectionIsNotCutOffByTheFirstHeadsDeadline() throws Exception {
        try (Socket s = connect()) {
            for (int i = 0; i < 3; i++) {
                assertThat(RawHttp.exchange(s, "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 200");
                assertQuietlyOpen(s, HEADER_TIMEOUT.multipliedBy(3));
            }
        }
    }

    @Test
    void streamsOutliveTheHeaderTimeout() throws Exception {
        String job = Sec.adminJob(server, "{\"type\":\"slow-client\",\"status\":\"running\"}");
        try (Socket sse = connect(); WsClient ws = WsClient.connect(server, "/api/v1/ws")) {
            sse.getOutputStream().write(("GET " + API + "/jobs/" + job + "/events HTTP/1.1\r\nHost: x\r\n"
                    + "Authorization: Bearer " + TestServer.TOKEN + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(RawHttp.readUntil(sse.getInputStream(), "event: snapshot")).contains("200 OK");
            // a wait for a close that must time out; the stream shows below that it is open too
            assertThat(ws.awaitClosed(HEADER_TIMEOUT.multipliedBy(3))).as("the WebSocket after 3 header timeouts").isNull();

            Sec.post(server, API + "/jobs/" + job + "/logs", TestServer.TOKEN, "{\"level\":\"info\",\"message\":\"later\"}");
            assertThat(RawHttp.readUntil(sse.getInputStream(), "\"later\"")).contains("event: log");
            ws.send("{\"type\":\"ping\",\"id\":\"still-here\"}");
            assertThat(ws.next().path("id").asText()).isEqualTo("still-here");
        }
    }
}
