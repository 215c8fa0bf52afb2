package dev.herald.server.ws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * RFC 6455 at the frame level, with frames written a byte at a time: text must be UTF-8 (else close 1007), RSV bits
 * need a negotiated extension (else close 1002), and once the server has sent its Close frame it sends nothing more.
 */
class WsFramingTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static RawWebSocket open(TestServer s) throws IOException {
        RawWebSocket ws = RawWebSocket.open(s, "/api/v1/ws");
        assertThat(ws.readHead()).isEqualTo(101);
        return ws;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    /** Each case: the payloads (hex) of a text frame and its continuations, the last one final. */
    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
            "7b22c328",            // a lead byte followed by a non-continuation byte
            "c0af",                // an overlong encoding of '/'
            "eda080",              // a UTF-16 surrogate
            "f4908080",            // beyond U+10FFFF
            "22ff",                // a byte UTF-8 never uses
            "22e282",              // a character cut off at the end of the message
            "7bc3|28",             // the bad sequence spread over a continuation frame
            "7b|22e2|82|",         // cut off at the end of a fragmented message
    })
    void invalidUtf8InTextClosesWith1007(String frames) throws IOException {
        String[] payloads = frames.split("\\|", -1);
        try (RawWebSocket ws = open(server)) {
            for (int i = 0; i < payloads.length; i++) {
                boolean last = i == payloads.length - 1;
                ws.writeByteByByte(RawWebSocket.frame(i == 0 ? RawWebSocket.TEXT : RawWebSocket.CONTINUATION, last,
                        HexFormat.of().parseHex(payloads[i])));
            }
            assertThat(ws.readUntilClose(Ws.WAIT, f -> fail("no answer but the close: %s", f.text())))
                    .as("close code").isEqualTo(1007);
        }
    }

    @Test
    void aCharacterSplitOverFramesIsText() throws IOException {
        byte[] message = "{\"type\":\"ping\",\"id\":\"é✓\"}".getBytes(StandardCharsets.UTF_8);
        int inside = "{\"type\":\"ping\",\"id\":\"".length() + 1;  // between the two bytes of 'é'
        try (RawWebSocket ws = open(server)) {
            ws.writeByteByByte(concat(
                    RawWebSocket.frame(RawWebSocket.TEXT, false, java.util.Arrays.copyOfRange(message, 0, inside)),
                    RawWebSocket.frame(RawWebSocket.CONTINUATION, false,
                            java.util.Arrays.copyOfRange(message, inside, inside + 2)),
                    RawWebSocket.frame(RawWebSocket.CONTINUATION, true,
                            java.util.Arrays.copyOfRange(message, inside + 2, message.length))));
            RawWebSocket.Frame pong = ws.next(Ws.WAIT);
            assertThat(pong).isNotNull();
            JsonNode n = Ws.tree(pong.text());
            assertThat(n.get("type").asText()).isEqualTo("pong");
            assertThat(n.get("id").asText()).isEqualTo("é✓");
        }
    }

    @ParameterizedTest(name = "[{index}] RSV bits {0}")
    @ValueSource(ints = {0x40, 0x20, 0x10, 0x70})
    void rsvBitsWithoutAnExtensionCloseWith1002(int rsv) throws IOException {
        try (RawWebSocket ws = open(server)) {
            byte[] frame = RawWebSocket.frame(rsv | RawWebSocket.TEXT, true, Ws.ping("1").getBytes(StandardCharsets.UTF_8));
            // only the frame's head: the server fails the connection from it, and bytes still coming as it closes
            // would make it reset the connection rather than end it, which can drop its close frame on the way
            ws.writeByteByByte(java.util.Arrays.copyOf(frame, 2));
            assertThat(ws.readUntilClose(Ws.WAIT, f -> fail("no answer but the close: %s", f.text())))
                    .as("close code").isEqualTo(1002);
        }
    }

    @Test
    void nothingFollowsTheServersCloseFrame() throws IOException {
        Duration keepAlive = Duration.ofMillis(300);
        try (TestServer quick = TestServer.start(o -> o.withKeepAlive(keepAlive))) {
            JsonNode key = Ws.tree(quick.post("/api/v1/keys", "{\"project\":\"a\",\"scope\":\"read\"}").body());
            try (RawWebSocket ws = RawWebSocket.open(quick, "/api/v1/ws", key.get("token").asText(), 0)) {
                assertThat(ws.readHead()).isEqualTo(101);
                // heard just now, so the heartbeats go on (the idle close is three of them away)
                ws.sendText(Ws.ping("1"));
                assertThat(ws.next(Ws.WAIT)).isNotNull();
                // the server closes (1008) as the key is revoked; the client does not answer the close
                quick.post("/api/v1/keys/" + key.get("key").get("id").asText() + "/revoke", "{}");
                assertThat(ws.readUntilClose(Ws.WAIT, f -> { })).as("close code").isEqualTo(1008);
                long deadline = System.nanoTime() + keepAlive.multipliedBy(2).toNanos();
                while (System.nanoTime() < deadline) {
                    RawWebSocket.Frame f;
                    try {
                        f = ws.next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                    } catch (EOFException | SocketException e) {
                        return;
                    }
                    if (f != null) {
                        fail("a frame after the server's Close: opcode %d, %s", f.opcode(), f.text());
                    }
                }
            }
        }
    }
}
