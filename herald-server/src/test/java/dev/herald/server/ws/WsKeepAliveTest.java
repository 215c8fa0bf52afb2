package dev.herald.server.ws;

import dev.herald.server.support.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static dev.herald.server.ws.Ws.type;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Heartbeats and idle connections (API §4), with a short keep-alive: heartbeats every
 * keep-alive, and a connection from which nothing came for three of them is closed.
 */
class WsKeepAliveTest {
    private static final Duration KEEP_ALIVE = Duration.ofMillis(600);
    private static final Duration PING_EVERY = Duration.ofMillis(250);
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(o -> o.withKeepAlive(KEEP_ALIVE));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void heartbeatsArriveOnAQuietConnection() {
        String id = Ws.create(server, "running");
        try (WsClient ws = WsClient.connect(server, "/api/v1/jobs/" + id + "/ws")) {
            int heartbeats = 0;
            long deadline = System.nanoTime() + Ws.WAIT.toNanos();
            while (heartbeats < 2 && System.nanoTime() < deadline) {
                String text = ws.nextText(Duration.ofMillis(200));
                if (text == null) {
                    // keep this client heard, so only the heartbeats are under test
                    ws.sendPong(new byte[0]);
                    continue;
                }
                JsonNode n = Ws.tree(text);
                if (type(n).equals("heartbeat")) {
                    assertThat(n.get("time").asText()).matches(Ws.TIME);
                    heartbeats++;
                } else {
                    assertThat(type(n)).isIn("subscribed", "snapshot");
                }
            }
            assertThat(heartbeats).as("heartbeats with a keep-alive of " + KEEP_ALIVE).isEqualTo(2);
            assertThat(ws.isClosed()).isFalse();
        }
    }

    @Test
    void aSilentClientIsClosedWhileClientsThatPingStayOpen() throws Exception {
        String id = Ws.create(server, "running");
        ScheduledExecutorService pinger = Executors.newScheduledThreadPool(1);
        try (WsClient silent = WsClient.connect(server, "/api/v1/ws");
             WsClient silentSubscribed = WsClient.connect(server, "/api/v1/jobs/" + id + "/ws");
             WsClient messages = WsClient.connect(server, "/api/v1/ws");
             WsClient pingFrames = WsClient.connect(server, "/api/v1/ws");
             WsClient pongFrames = WsClient.connect(server, "/api/v1/ws")) {
            List<Consumer<Integer>> pings = List.of(
                    n -> messages.send(Ws.ping(Integer.toString(n))),
                    n -> pingFrames.sendPing(new byte[]{(byte) n.intValue()}),
                    n -> pongFrames.sendPong(new byte[0]));
            int[] n = {0};
            pinger.scheduleWithFixedDelay(() -> {
                n[0]++;
                for (Consumer<Integer> p : pings) {
                    try {
                        p.accept(n[0] & 0x7f);
                    } catch (RuntimeException e) {
                        // the client was closed: the assertions below tell
                    }
                }
            }, 0, PING_EVERY.toMillis(), TimeUnit.MILLISECONDS);

            WsClient.Closed closed = silent.awaitClosed(Ws.WAIT);
            assertThat(closed).as("a client that sends nothing is closed").isNotNull();
            assertThat(closed.code()).as("close code: %s", closed).isEqualTo(1001);
            WsClient.Closed closedToo = silentSubscribed.awaitClosed(Ws.WAIT);
            assertThat(closedToo).as("a subscribed client that sends nothing is closed too").isNotNull();
            assertThat(closedToo.code()).isEqualTo(1001);

            // keep pinging for as long again as the silent clients lasted, plus three idle periods: a wait for a
            // close that must time out (a closed client stays closed, so the others are seen at its end)
            assertThat(messages.awaitClosed(KEEP_ALIVE.multipliedBy(3 * 3))).as("the client that pings by message").isNull();
            assertThat(pingFrames.closedNow()).as("the client that sends ping frames").isNull();
            assertThat(pongFrames.closedNow()).as("the client that sends pong frames").isNull();
            pinger.shutdownNow();
            pinger.awaitTermination(5, TimeUnit.SECONDS);
            assertThat(messages.drain().stream().map(Ws::tree).filter(m -> type(m).equals("pong")).count())
                    .as("pongs to message pings").isPositive();
            assertThat(pingFrames.nextPong(Ws.WAIT)).as("pong frames to ping frames").isNotNull();

            // all still usable
            for (WsClient c : List.of(messages, pingFrames, pongFrames)) {
                c.drain();
                c.send(Ws.ping("\"alive\""));
                List<JsonNode> p = c.until(m -> type(m).equals("pong") && m.get("id").asText().equals("alive"));
                assertThat(p).isNotEmpty();
            }
        } finally {
            pinger.shutdownNow();
        }
    }
}
