package dev.herald.server.sse;

import dev.herald.server.support.SseClient;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.herald.server.sse.Jobs.next;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Streams dropped abruptly leave the server healthy and hold nothing (API §3, §4: disconnects are normal). */
class SseDisconnectTest {
    private static final String SUBSCRIPTIONS = "herald_subscriptions";
    private static final String OPEN_STREAMS = "herald_streams_open";
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void twoHundredAbruptlyClosedStreamsLeaveTheServerHealthyAndHoldNoSubscriptions() throws Exception {
        String a = Jobs.create(server, "running");
        String b = Jobs.create(server, "running");
        awaitGauges(Jobs.metric(server, SUBSCRIPTIONS), Jobs.metric(server, OPEN_STREAMS));
        double subscriptions = Jobs.metric(server, SUBSCRIPTIONS);
        double streams = Jobs.metric(server, OPEN_STREAMS);

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                done.add(pool.submit(() -> dropOne(n, a, b)));
                if (i % 20 == 0) {
                    // the jobs keep changing meanwhile, so events meet closing connections
                    Jobs.log(server, a, "tick " + i);
                    Jobs.progress(server, b, "{\"message\":\"tick " + i + "\"}");
                }
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        Jobs.log(server, a, "after the storm");

        awaitGauges(subscriptions, streams);
        var ready = server.send(HttpRequest.newBuilder(server.uri("/health/ready")).GET().build());
        assertThat(ready.statusCode()).isEqualTo(200);

        try (SseClient sse = SseClient.open(server, "/api/v1/events?jobs=" + a + "," + b)) {
            assertThat(sse.status()).isEqualTo(200);
            next(sse);
            next(sse);
            Jobs.log(server, a, "a new reader still works");
            assertThat(Jobs.data(next(sse)).at("/log/message").asText()).isEqualTo("a new reader still works");
        }
        awaitGauges(subscriptions, streams);
    }

    @Test
    void refusedStreamsHoldNoSubscriptions() {
        String a = Jobs.create(server, "running");
        awaitGauges(Jobs.metric(server, SUBSCRIPTIONS), Jobs.metric(server, OPEN_STREAMS));
        double subscriptions = Jobs.metric(server, SUBSCRIPTIONS);
        double streams = Jobs.metric(server, OPEN_STREAMS);
        String unknown = "j_0000000000000000000000000A";
        for (int i = 0; i < 20; i++) {
            for (String path : List.of("/api/v1/events?jobs=" + a + "," + unknown,
                    "/api/v1/jobs/" + unknown + "/events", "/api/v1/jobs/" + a + "/events?types=nope",
                    "/api/v1/jobs/" + a + "/events?lastEventId=bad")) {
                try (SseClient sse = SseClient.open(server, path)) {
                    assertThat(sse.status()).as(path).isIn(400, 404);
                }
            }
        }
        awaitGauges(subscriptions, streams);
    }

    private static void awaitGauges(double subscriptions, double streams) {
        await().atMost(Jobs.WAIT).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            assertThat(Jobs.metric(server, SUBSCRIPTIONS)).as(SUBSCRIPTIONS).isEqualTo(subscriptions);
            assertThat(Jobs.metric(server, OPEN_STREAMS)).as(OPEN_STREAMS).isEqualTo(streams);
        });
    }

    /** Opens a stream and drops it in one of several rude ways. */
    private static void dropOne(int n, String a, String b) {
        String path = switch (n % 3) {
            case 0 -> "/api/v1/jobs/" + a + "/events";
            case 1 -> "/api/v1/events?jobs=" + a + "," + b;
            default -> "/api/v1/jobs/" + b + "/events?types=progress";
        };
        try {
            RawSseSocket s = RawSseSocket.open(server, path, 4096);
            switch (n % 4) {
                case 0 -> s.abort();
                case 1 -> s.close();
                case 2 -> {
                    readSome(s, 1);
                    s.abort();
                }
                default -> {
                    readSome(s, 200);
                    s.close();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void readSome(RawSseSocket s, int bytes) throws IOException {
        InputStream in = s.inputStream();
        for (int i = 0; i < bytes && in.read() >= 0; i++) {
            // read a little of the answer, then leave
        }
    }
}
