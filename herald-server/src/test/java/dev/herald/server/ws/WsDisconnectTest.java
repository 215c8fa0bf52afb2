package dev.herald.server.ws;

import dev.herald.server.support.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.herald.server.ws.Ws.isLog;
import static dev.herald.server.ws.Ws.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** WebSockets dropped abruptly leave the server healthy and hold nothing (API §4: disconnects are normal). */
class WsDisconnectTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void awaitGauges(double subscriptions, double sockets) {
        await().atMost(Ws.WAIT).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            assertThat(Ws.subscriptions(server)).as("herald_subscriptions").isEqualTo(subscriptions);
            assertThat(Ws.openSockets(server)).as("herald_streams_open{transport=\"websocket\"}").isEqualTo(sockets);
        });
    }

    @Test
    void aHundredAbruptDisconnectsLeaveTheServerHealthyAndHoldNoSubscriptions() throws Exception {
        String a = Ws.create(server, "running");
        String b = Ws.create(server, "running");
        awaitGauges(Ws.subscriptions(server), Ws.openSockets(server));
        double subscriptions = Ws.subscriptions(server);
        double sockets = Ws.openSockets(server);

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                int n = i;
                done.add(pool.submit(() -> dropOne(n, a, b)));
                if (i % 10 == 0) {
                    // the jobs keep changing meanwhile, so events meet closing connections
                    Ws.log(server, a, "tick " + i);
                    Ws.progress(server, b, "{\"message\":\"tick " + i + "\"}");
                }
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        Ws.log(server, a, "after the storm");

        awaitGauges(subscriptions, sockets);
        var ready = server.send(HttpRequest.newBuilder(server.uri("/health/ready")).GET().build());
        assertThat(ready.statusCode()).isEqualTo(200);

        try (WsClient ws = WsClient.connect(server, "/api/v1/ws")) {
            ws.send(Ws.subscribe(a, b));
            assertThat(type(ws.next())).isEqualTo("subscribed");
            assertThat(type(ws.next())).isEqualTo("snapshot");
            assertThat(type(ws.next())).isEqualTo("snapshot");
            Ws.log(server, a, "a new reader still works");
            JsonNode n = ws.next();
            assertThat(isLog(n, "a new reader still works")).as("%s", n).isTrue();
            assertThat(Ws.subscriptions(server)).isEqualTo(subscriptions + 2);
        }
        awaitGauges(subscriptions, sockets);
    }

    @Test
    void aClientCloseAndUnsubscribesReleaseTheirSubscriptions() {
        String a = Ws.create(server, "running");
        awaitGauges(Ws.subscriptions(server), Ws.openSockets(server));
        double subscriptions = Ws.subscriptions(server);
        double sockets = Ws.openSockets(server);
        try (WsClient ws = WsClient.connect(server, "/api/v1/jobs/" + a + "/ws")) {
            ws.until(n -> type(n).equals("snapshot"));
            ws.send("{\"type\":\"subscribe\",\"jobs\":[\"" + Ws.create(server, "running", a)
                    + "\"],\"descendants\":true}");
            ws.until(n -> type(n).equals("snapshot"));
            await().atMost(Ws.WAIT).until(() -> Ws.subscriptions(server) > subscriptions);
            ws.send(Ws.subscribe(Ws.UNKNOWN_ID));
            ws.until(n -> type(n).equals("error"));
            ws.send(Ws.unsubscribe(a));
            ws.until(n -> type(n).equals("unsubscribed"));
        }
        awaitGauges(subscriptions, sockets);
    }

    /** Opens a WebSocket and drops it in one of several rude ways; none sends a close frame. */
    private static void dropOne(int n, String a, String b) {
        String path = n % 2 == 0 ? "/api/v1/ws" : "/api/v1/jobs/" + a + "/ws";
        try {
            RawWebSocket s = RawWebSocket.open(server, path, TestServer.TOKEN, 4096);
            switch (n % 5) {
                case 0 -> s.abort();                              // before the 101 is read
                case 1 -> {                                       // right after asking for more jobs
                    s.readHead();
                    s.sendText(Ws.subscribe(a, b));
                    s.abort();
                }
                case 2 -> {                                       // subscribed and streaming, then gone (FIN)
                    s.readHead();
                    s.sendText(Ws.subscribe(a, b));
                    s.next(Ws.WAIT);
                    s.close();
                }
                case 3 -> {                                       // half a frame, then a reset
                    s.readHead();
                    byte[] frame = RawWebSocket.text(Ws.subscribe(b));
                    s.write(java.util.Arrays.copyOf(frame, frame.length / 2));
                    s.abort();
                }
                default -> {                                      // a subscribe in flight, FIN without reading
                    s.readHead();
                    s.sendText("{\"type\":\"subscribe\",\"jobs\":[\"" + a + "\",\"" + b + "\"],\"since\":{\"" + a
                            + "\":0},\"descendants\":true}");
                    s.close();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
