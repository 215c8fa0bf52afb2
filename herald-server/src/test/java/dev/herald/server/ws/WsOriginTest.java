package dev.herald.server.ws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.auth.AuthOptions;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A browser sends {@code Origin} with every WebSocket upgrade, and no CORS check stops a page of any site from
 * opening one: the server takes upgrades only from its own origin and those of {@code --cors-origin}, so a leaked
 * stream URL does not work from any site. Clients that are not browsers send no Origin and are not affected.
 */
class WsOriginTest {
    private static final String APP = "https://app.example";

    private static int upgrade(TestServer s, String path, String origin) throws IOException {
        try (RawWebSocket ws = origin == null ? RawWebSocket.open(s, path)
                : RawWebSocket.open(s, path, Map.of("Origin", origin))) {
            int status = ws.readHead();
            if (status != 101) {
                JsonNode error = Ws.tree(ws.body()).get("error");
                assertThat(error.get("code").asText()).as(ws.body()).isEqualTo("forbidden");
                assertThat(error.get("message").asText()).contains("origin");
            }
            return status;
        }
    }

    @Test
    void withoutCorsOnlyTheServersOwnOriginAndClientsWithoutOneMayUpgrade() throws IOException {
        try (TestServer s = TestServer.start()) {
            for (String path : List.of("/api/v1/ws", "/api/v1/jobs/" + Ws.UNKNOWN_ID + "/ws")) {
                assertThat(upgrade(s, path, null)).as("no Origin: not a browser").isEqualTo(101);
                assertThat(upgrade(s, path, s.baseUrl())).as("the server's own origin").isEqualTo(101);
                for (String other : List.of(APP, "https://evil.example", "null", s.baseUrl() + ".evil.example",
                        "http://localhost:" + s.server().port())) {
                    assertThat(upgrade(s, path, other)).as("from %s", other).isEqualTo(403);
                }
            }
        }
    }

    @Test
    void theCorsOriginsMayUpgradeToo() throws IOException {
        try (TestServer s = TestServer.start(o -> o.withAuth(AuthOptions.defaults().withCorsOrigins(List.of(APP))))) {
            assertThat(upgrade(s, "/api/v1/ws", APP)).isEqualTo(101);
            assertThat(upgrade(s, "/api/v1/ws", s.baseUrl())).isEqualTo(101);
            assertThat(upgrade(s, "/api/v1/ws", null)).isEqualTo(101);
            for (String other : List.of("https://evil.example", "http://app.example", "https://app.example.evil.com")) {
                assertThat(upgrade(s, "/api/v1/ws", other)).as("from %s", other).isEqualTo(403);
            }
        }
    }
}
