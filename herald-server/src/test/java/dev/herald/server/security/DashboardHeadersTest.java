package dev.herald.server.security;

import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's files forbid inline script, other origins and framing, and keep the token in its URL out of
 * Referer; every answer, the API's JSON too, says its Content-Type is not to be sniffed.
 */
class DashboardHeadersTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/index.html", "/app.js", "/app.css", "/herald.js", "/herald.mjs"})
    void dashboardFilesCarryThePolicy(String path) {
        HttpResponse<String> r = server.get(path);

        assertThat(r.statusCode()).isEqualTo(200);
        HttpHeaders h = r.headers();
        String csp = h.firstValue("Content-Security-Policy").orElse("");
        assertThat(csp).contains("default-src 'self'", "script-src 'self'", "style-src 'self'",
                "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'");
        assertThat(csp).doesNotContain("unsafe-inline", "unsafe-eval", "*");
        assertThat(h.firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(h.firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test
    void apiAnswersAreNotSniffedAndCarryNoPagePolicy() {
        HttpResponse<String> r = server.get("/api/v1/jobs");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(r.headers().firstValue("Content-Security-Policy")).isEmpty();
    }

    @Test
    void errorsAreNotSniffedEither() {
        HttpResponse<String> r = server.get("/api/v1/nowhere");

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }
}
