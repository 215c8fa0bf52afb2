package dev.herald.server.security;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.support.RawHttp;
import dev.herald.server.support.TestServer;
import dev.herald.server.support.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static dev.herald.server.security.Sec.API;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A kept-alive connection whose stream or long poll the server answered is under the header deadline again, as after
 * any other answer: a next request head trickled byte by byte is cut off. A stream sets its response's end handler
 * itself, in place of the router's, which is what puts a connection back under the deadline elsewhere.
 */
class StreamHeaderDeadlineTest {
    /** The first head's deadline and the next one's after an answer (by default the idle timeout, 75 s). */
    private static final Duration HEAD_TIMEOUT = Duration.ofMillis(500);
    /** Far beyond the deadline: what a connection that is not cut off would last. */
    private static final long PATIENCE_MS = 15_000;
    private static final String LAST_CHUNK = "\r\n0\r\n\r\n";
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(o -> o.withHeaderTimeout(HEAD_TIMEOUT).withNextHeadTimeout(HEAD_TIMEOUT));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aStreamTheServerEndsLeavesItsConnectionUnderTheDeadline() throws IOException {
        String job = Sec.adminJob(server, "{\"type\":\"stream-deadline\",\"status\":\"running\"}");
        JsonNode key = Sec.createKey(server, Sec.job(server, job).get("project").asText(), "read", null, null);
        try (Socket s = connect()) {
            send(s, "GET " + API + "/jobs/" + job + "/events HTTP/1.1\r\nHost: x\r\n"
                    + "Authorization: Bearer " + key.get("token").asText() + "\r\n\r\n");
            assertThat(RawHttp.readUntil(s.getInputStream(), "event: snapshot")).contains("200 OK");

            Sec.post(server, API + "/keys/" + key.at("/key/id").asText() + "/revoke", TestServer.TOKEN, "{}");
            assertThat(RawHttp.readUntil(s.getInputStream(), LAST_CHUNK)).as("the stream's end").contains("revoked");
            assertThat(trickledHeadCutOff(s)).as("a head trickled after the stream ended is cut off").isTrue();
        }
    }

    @Test
    void aStreamRefusedOnceItsChecksBeganLeavesItsConnectionUnderTheDeadline() throws IOException {
        try (Socket s = connect()) {
            String answer = RawHttp.exchange(s, "GET " + API + "/jobs/" + Sec.UNKNOWN_ID + "/events HTTP/1.1\r\n"
                    + "Host: x\r\nAuthorization: Bearer " + TestServer.TOKEN + "\r\n\r\n");
            assertThat(RawHttp.status(answer)).as(answer).isEqualTo(404);
            assertThat(trickledHeadCutOff(s)).as("a head trickled after the refusal is cut off").isTrue();
        }
    }

    @Test
    void aLongPollTheServerAnsweredLeavesItsConnectionUnderTheDeadline() throws IOException {
        String job = Sec.adminJob(server, "{\"type\":\"stream-deadline\",\"status\":\"running\"}");
        long version = Sec.job(server, job).get("version").asLong();
        try (Socket s = connect()) {
            String answer = RawHttp.exchange(s, "GET " + API + "/jobs/" + job + "?waitForVersion=" + version
                    + "&timeoutMs=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestServer.TOKEN + "\r\n\r\n");
            assertThat(RawHttp.status(answer)).as(answer).isEqualTo(200);
            assertThat(trickledHeadCutOff(s)).as("a head trickled after the long poll is cut off").isTrue();
        }
    }

    /** Java's HTTP client asks every request for an upgrade to h2c, which this server does not speak: it answers. */
    @Test
    void aRequestThatAskedForAnUpgradeAndWasAnsweredLeavesItsConnectionUnderTheDeadline() throws IOException {
        try (Socket s = connect()) {
            String answer = RawHttp.exchange(s, "GET /health/live HTTP/1.1\r\nHost: x\r\n"
                    + "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                    + "HTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n");
            assertThat(RawHttp.status(answer)).as(answer).isEqualTo(200);
            assertThat(trickledHeadCutOff(s)).as("a head trickled after the answer is cut off").isTrue();
        }
    }

    @Test
    void aRefusedWebSocketUpgradeLeavesItsConnectionUnderTheDeadline() throws IOException {
        try (Socket s = connect()) {
            String answer = RawHttp.exchange(s, "GET " + API + "/ws HTTP/1.1\r\nHost: x\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
            assertThat(RawHttp.status(answer)).as(answer).isEqualTo(401);
            assertThat(trickledHeadCutOff(s)).as("a head trickled after the refusal is cut off").isTrue();
        }
    }

    /** An upgraded connection is no longer HTTP: it owes no request head, and its own idle rules apply. */
    @Test
    void aWebSocketOutlivesTheDeadline() throws Exception {
        try (WsClient ws = WsClient.connect(server, "/api/v1/ws")) {
            // a wait for a close that must time out; the ping below shows the socket is open and served
            assertThat(ws.awaitClosed(HEAD_TIMEOUT.multipliedBy(4))).as("the WebSocket after 4 deadlines").isNull();
            ws.send("{\"type\":\"ping\",\"id\":\"still-here\"}");
            assertThat(ws.next().path("id").asText()).isEqualTo("still-here");
        }
    }

    private static Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", server.server().port());
        s.setSoTimeout((int) PATIENCE_MS);
        return s;
    }

    private static void send(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** Starts the connection's next request, then trickles a header of it a byte every 50 ms: never idle. */
    private static boolean trickledHeadCutOff(Socket s) throws IOException {
        send(s, "GET /health/live HTTP/1.1\r\nHost: x\r\n");
        byte[] header = "X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n".getBytes(StandardCharsets.US_ASCII);
        return RawHttp.closedByServer(s, header, 50, PATIENCE_MS);
    }
}
