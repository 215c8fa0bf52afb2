package dev.herald.server.security;

import dev.herald.server.HeraldServer;
import dev.herald.server.ServerOptions;
import dev.herald.server.auth.AuthOptions;
import dev.herald.server.auth.JwtOptions;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import static dev.herald.server.security.Sec.API;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The server refuses to start without credentials (API §5), dev mode is loopback only, and CORS is opt-in. */
class StartupAndCorsTest {
    private static final String APP = "https://app.example";

    @TempDir
    Path tmp;

    private static void startAndCloseIfItStarts(ServerOptions options) {
        HeraldServer s = HeraldServer.start(options);
        s.close();
    }

    @Test
    void devModeRefusesAnAddressThatIsNotLoopback() {
        for (String host : List.of("0.0.0.0", "::")) {
            ServerOptions o = ServerOptions.defaults().withPort(0).withDataDir(tmp).withDev(true).withHost(host);
            assertThatThrownBy(() -> startAndCloseIfItStarts(o)).as(host)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("loopback");
        }
    }

    @Test
    void withoutATokenAndWithoutDevModeTheServerDoesNotStart() {
        for (String token : new String[] {null, "", "   "}) {
            ServerOptions o = ServerOptions.defaults().withPort(0).withDataDir(tmp).withAdminToken(token);
            assertThatThrownBy(() -> startAndCloseIfItStarts(o)).as("admin token [%s]", token)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("--admin-token").hasMessageContaining("--jwt-secret");
        }
    }

    @Test
    void jwtsAloneAreCredentialsEnough() {
        ServerOptions o = ServerOptions.defaults().withPort(0).withDataDir(tmp)
                .withAuth(AuthOptions.defaults().withJwt(JwtOptions.hs256(JwtAccessTest.SECRET)));
        try (HeraldServer s = HeraldServer.start(o)) {
            assertThat(s.adminToken()).as("no admin credential exists").isNull();
            var http = Sec.http1();
            String jwt = Jwts.hs256(JwtAccessTest.SECRET, Jwts.claims("svc", List.of("a"), "write", 3600));
            HttpResponse<String> ok = send(http, HttpRequest.newBuilder(URI.create(s.baseUrl() + API + "/jobs"))
                    .header("Authorization", "Bearer " + jwt).GET());
            assertThat(ok.statusCode()).isEqualTo(200);
            for (String token : List.of("null", "", "admin")) {
                HttpResponse<String> r = send(http, HttpRequest.newBuilder(URI.create(s.baseUrl() + API + "/jobs"))
                        .header("Authorization", "Bearer " + token).GET());
                assertThat(r.statusCode()).as("token [%s]", token).isEqualTo(401);
            }
        }
    }

    @Test
    void devModeOnLoopbackStartsWithAGeneratedAdminToken() {
        try (HeraldServer s = HeraldServer.start(ServerOptions.defaults().withPort(0).withDataDir(tmp).withDev(true))) {
            assertThat(s.adminToken()).isNotBlank();
            var http = Sec.http1();
            HttpResponse<String> ok = send(http, HttpRequest.newBuilder(URI.create(s.baseUrl() + API + "/jobs"))
                    .header("Authorization", "Bearer " + s.adminToken()).GET());
            assertThat(ok.statusCode()).isEqualTo(200);
            HttpResponse<String> none = send(http, HttpRequest.newBuilder(URI.create(s.baseUrl() + API + "/jobs")).GET());
            assertThat(none.statusCode()).as("dev mode still needs the token").isEqualTo(401);
        }
    }

    private static HttpResponse<String> send(java.net.http.HttpClient http, HttpRequest.Builder b) {
        try {
            return http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> preflight(TestServer s, String path, String origin) {
        return s.send(HttpRequest.newBuilder(s.uri(path)).timeout(Duration.ofSeconds(30))
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
    }

    private static HttpResponse<String> getFrom(TestServer s, String path, String origin) {
        return s.send(s.request(path).header("Origin", origin).GET().build());
    }

    private static String allowOrigin(HttpResponse<String> r) {
        return r.headers().firstValue("Access-Control-Allow-Origin").orElse(null);
    }

    @Test
    void corsIsOffByDefault() {
        try (TestServer s = TestServer.start()) {
            for (String path : List.of(API + "/jobs", API + "/events?project=a", "/health/live", API + "/openapi.json")) {
                HttpResponse<String> pre = preflight(s, path, APP);
                assertThat(allowOrigin(pre)).as("preflight of %s -> %d %s", path, pre.statusCode(), pre.headers().map())
                        .isNull();
                assertThat(pre.statusCode()).as("preflight of %s", path).isNotIn(200, 201, 202, 203, 204, 205, 206);
            }
            HttpResponse<String> get = getFrom(s, API + "/jobs", APP);
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(allowOrigin(get)).isNull();
            assertThat(get.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
        }
    }

    @Test
    void corsAllowsTheConfiguredOriginAndNoOther() {
        try (TestServer s = TestServer.start(o -> o.withAuth(AuthOptions.defaults().withCorsOrigins(List.of(APP))))) {
            HttpResponse<String> pre = preflight(s, API + "/jobs", APP);
            assertThat(pre.statusCode()).as("preflight from %s: %s", APP, pre.headers().map()).isBetween(200, 299);
            assertThat(allowOrigin(pre)).isEqualTo(APP);
            assertThat(pre.headers().allValues("Access-Control-Allow-Methods").toString().toUpperCase(Locale.ROOT))
                    .contains("POST");
            assertThat(pre.headers().allValues("Access-Control-Allow-Headers").toString().toLowerCase(Locale.ROOT))
                    .contains("authorization").contains("content-type");

            HttpResponse<String> get = getFrom(s, API + "/jobs", APP);
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(allowOrigin(get)).isEqualTo(APP);

            for (String other : List.of("https://evil.example", "http://app.example", "https://app.example.evil.com",
                    "https://evil.app.example", "null")) {
                HttpResponse<String> p = preflight(s, API + "/jobs", other);
                assertThat(allowOrigin(p)).as("preflight from %s: %d %s", other, p.statusCode(), p.headers().map())
                        .isNull();
                assertThat(p.statusCode()).as("preflight from %s", other).isNotIn(200, 201, 202, 203, 204, 205, 206);
                HttpResponse<String> g = getFrom(s, API + "/jobs", other);
                assertThat(allowOrigin(g)).as("GET from %s", other).isNull();
                // refused like every other refusal: the API's JSON error, not the web framework's plain text
                assertThat(g.statusCode()).as("GET from %s", other).isEqualTo(403);
                assertThat(g.headers().firstValue("Content-Type")).hasValueSatisfying(
                        type -> assertThat(type).startsWith("application/json"));
                assertThat(g.body()).contains("\"forbidden\"").contains("--cors-origin");
            }
            // a browser sends Origin on a same-origin POST too (the dashboard's cancel button): it is not CORS
            HttpResponse<String> own = s.send(s.request(API + "/jobs").header("Origin", s.baseUrl())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"same-origin\"}")).build());
            assertThat(own.statusCode()).as("same-origin POST: %s", own.body()).isEqualTo(201);
            // without any Origin (not a browser), nothing changes
            HttpResponse<String> plain = s.get(API + "/jobs");
            assertThat(plain.statusCode()).isEqualTo(200);
            assertThat(allowOrigin(plain)).isNull();
            // CORS does not replace authentication
            HttpResponse<String> noToken = s.send(HttpRequest.newBuilder(s.uri(API + "/jobs"))
                    .header("Origin", APP).GET().build());
            assertThat(noToken.statusCode()).isEqualTo(401);
        }
    }
}
