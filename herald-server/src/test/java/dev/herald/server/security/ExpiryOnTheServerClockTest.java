package dev.herald.server.security;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.json.Times;
import dev.herald.server.auth.AuthOptions;
import dev.herald.server.auth.JwtOptions;
import dev.herald.core.time.SettableClock;
import dev.herald.server.support.SseClient;
import dev.herald.server.support.TestServer;
import dev.herald.server.support.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.herald.server.security.Sec.API;
import static dev.herald.server.security.Sec.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server reads wall time from {@code ServerOptions.clock}: keys and JWTs expire, jobs are stamped and
 * heartbeats tell the time by it. The test moves a settable clock to the very millisecond instead of waiting.
 */
class ExpiryOnTheServerClockTest {
    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    private static final Duration LEEWAY = JwtOptions.DEFAULT_LEEWAY;
    private static final Duration MS = Duration.ofMillis(1);
    private static final SettableClock CLOCK = new SettableClock(START);
    private static TestServer server;
    private static String aJob;

    @BeforeAll
    static void start() {
        server = TestServer.onClock(CLOCK, o -> o
                .withAuth(AuthOptions.defaults().withJwt(JwtOptions.hs256(JwtAccessTest.SECRET)))
                // a heartbeat every second; nothing from the client for three of them closes it
                .withKeepAlive(Duration.ofSeconds(1)));
        aJob = Sec.adminJob(server, "{\"type\":\"a-work\",\"project\":\"a\",\"status\":\"running\"}");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void anApiKeyWorksUntilTheClockReachesItsExpiryThenEverythingRefusesIt() {
        JsonNode created = Sec.createKey(server, "a", "write", null, 3600);
        String token = created.get("token").asText();
        Instant expiresAt = Instant.parse(created.get("key").get("expiresAt").asText());
        assertThat(expiresAt).isEqualTo(CLOCK.instant().plus(Duration.ofHours(1)));

        CLOCK.set(expiresAt.minus(MS));
        assertThat(Sec.get(server, API + "/jobs", token).statusCode()).as("a millisecond before").isEqualTo(200);

        CLOCK.set(expiresAt);
        assertError(Sec.get(server, API + "/jobs", token), 401, "unauthorized");
        assertError(Sec.post(server, API + "/jobs", token, "{\"type\":\"late\"}"), 401, "unauthorized");
        try (SseClient refused = Sec.sse(server, API + "/jobs/" + aJob + "/events", token)) {
            assertThat(refused.status()).isEqualTo(401);
        }
        assertThat(WsClient.refusal(server, API + "/jobs/" + aJob + "/ws", token, false).status()).isEqualTo(401);
    }

    @Test
    void aJwtWorksUntilTheClockPassesItsExpiryAndTheLeeway() {
        Instant exp = CLOCK.instant().plus(Duration.ofMinutes(1));
        String token = Jwts.hs256(JwtAccessTest.SECRET,
                Jwts.with(Jwts.claims("carol", List.of("a"), "read", 0), "exp", exp.getEpochSecond()));

        CLOCK.set(exp.plus(LEEWAY).minus(MS));
        assertThat(Sec.get(server, API + "/jobs", token).statusCode()).as("within the leeway").isEqualTo(200);

        CLOCK.set(exp.plus(LEEWAY));
        assertError(Sec.get(server, API + "/jobs", token), 401, "unauthorized");
        try (SseClient refused = Sec.sse(server, API + "/events?project=a", token)) {
            assertThat(refused.status()).isEqualTo(401);
        }
    }

    @Test
    void jobsAndHeartbeatsTellTheClocksTime() {
        Instant now = CLOCK.advance(Duration.ofDays(3));
        JsonNode job = Sec.create(server, TestServer.TOKEN, "{\"type\":\"stamped\",\"project\":\"a\"}");
        assertThat(Instant.parse(job.get("createdAt").asText())).isEqualTo(now);

        try (WsClient ws = WsClient.connect(server, API + "/ws")) {
            JsonNode beat = Sec.tree(ws.nextOfType("heartbeat"));
            assertThat(beat.get("time").asText()).isEqualTo(Times.format(now));
        }
    }
}
