package dev.herald.server.security;

import dev.herald.client.Herald;
import dev.herald.client.JobSpec;
import dev.herald.client.Reporter;
import dev.herald.core.model.JobStatus;
import dev.herald.server.support.SseClient;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.herald.server.security.Sec.API;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The default limits per credential carry real work with an ordinary key (docs/security.md): one worker
 * reporting a thousand jobs through the SDK, whose sender batches them, and a page farm's streams, well past
 * the 100 the old default allowed. Abuse is still refused: CredentialLimitsTest, with small limits.
 */
class DefaultLimitsTest {
    private static final int JOBS = 1000;
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Requests the server answered with this status, of routes whose label contains {@code route}, from /metrics. */
    private static long answered(String route, int status) {
        long sum = 0;
        for (String line : server.get("/metrics").body().split("\n")) {
            if (line.startsWith("herald_http_requests_total{") && line.contains(route)
                    && line.contains("status=\"" + status + "\"")) {
                sum += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    private static long batchesServed() {
        return answered("POST /progress:batch", 200);
    }

    @Test
    void oneWorkerReportingAThousandJobsThroughTheSdkIsNeverRateLimited() {
        long limited = answered("route=", 429);
        String key = Sec.keyToken(server, "a", "write");
        List<Reporter> reporters = new ArrayList<>();
        try (Herald herald = Herald.remote(server.baseUrl(), key)) {
            for (int i = 0; i < JOBS; i++) {
                reporters.add(herald.start(JobSpec.of("fleet").total(1_000_000)));
            }
            long batches = batchesServed();
            AtomicInteger round = new AtomicInteger();
            // every job moves on every poll, so each of the sender's ticks carries a batch of up to a thousand
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20)).until(() -> {
                int n = round.incrementAndGet();
                reporters.forEach(r -> r.progress(n));
                return batchesServed() - batches >= 10;
            });
            reporters.forEach(Reporter::complete);
        }
        assertThat(answered("route=", 429) - limited).as("requests refused with 429").isZero();
        String last = reporters.get(JOBS - 1).jobId();
        assertThat(Sec.job(server, last).get("status").asText()).isEqualTo(JobStatus.COMPLETED.wire());
    }

    @Test
    void aPageFarmsStreamsOnOneReadKeyAreAllServed() {
        String id = Sec.adminJob(server, "{\"type\":\"farm\",\"project\":\"a\",\"status\":\"running\"}");
        String key = Sec.keyToken(server, "a", "read");
        List<SseClient> tabs = new ArrayList<>();
        try {
            for (int i = 0; i < 150; i++) {
                SseClient tab = Sec.sse(server, API + "/jobs/" + id + "/events", key);
                tabs.add(tab);
                assertThat(tab.status()).as("stream %d: %s", i + 1, tab.status() == 200 ? "" : tab.errorBody())
                        .isEqualTo(200);
            }
        } finally {
            tabs.forEach(SseClient::close);
        }
    }
}
