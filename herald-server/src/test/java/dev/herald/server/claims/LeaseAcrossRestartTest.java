package dev.herald.server.claims;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.time.SettableClock;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A lease held when the server stops is still ended after it starts again: the job is no longer in memory, so
 * the lease watch finds it by the lease the store kept.
 */
class LeaseAcrossRestartTest {
    private static final String API = "/api/v1";

    @Test
    void aLeaseThatRanOutWhileTheServerWasDownRequeuesTheJobAfterTheRestart() throws Exception {
        SettableClock clock = new SettableClock(Instant.parse("2026-12-07T06:00:00.000Z"));
        Path data = Files.createTempDirectory("herald-lease-restart");
        String id;
        String token;
        try {
            try (TestServer first = TestServer.startOn(data, o -> o.withClock(clock))) {
                id = ClaimsCases.json(first.post(API + "/jobs",
                        "{\"type\":\"restarted\",\"status\":\"queued\",\"maxAttempts\":2}")).get("id").asText();
                JsonNode claimed = ClaimsCases.json(first.post(API + "/jobs:claim",
                        "{\"types\":[\"restarted\"],\"worker\":\"w\",\"leaseMs\":60000}"));
                token = claimed.at("/lease/token").asText();
            }
            clock.advance(Duration.ofMinutes(2));
            try (TestServer second = TestServer.startOn(data, o -> o.withClock(clock))) {
                await().atMost(Duration.ofSeconds(15)).until(() -> ClaimsCases.json(second.get(API + "/jobs/" + id))
                        .get("status").asText().equals("queued"));
                JsonNode job = ClaimsCases.json(second.get(API + "/jobs/" + id));
                assertThat(job.get("attempt").asInt()).isEqualTo(2);
                var lost = second.send(second.request(API + "/jobs/" + id + "/heartbeat").header("Lease-Token", token)
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build());
                assertThat(lost.statusCode()).isEqualTo(409);
                assertThat(ClaimsCases.json(lost).at("/error/code").asText()).isEqualTo("lease_lost");
            }
        } finally {
            TestServer.deleteRecursively(data);
        }
    }
}
