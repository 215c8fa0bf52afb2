package dev.herald.server.browser;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.herald.server.auth.AuthOptions;
import dev.herald.server.support.Chromium;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.herald.server.support.JobsOverRest.createWith;
import static dev.herald.server.support.JobsOverRest.log;
import static dev.herald.server.support.JobsOverRest.progress;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/browser.md's "A plain HTML page", copied as a user would: served by an app of its own on another origin
 * (allowed with the server's CORS origins), its token fetched from that app through getToken. Only the server's
 * address in the copy is changed, to this test's server.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DocsPlainPageBrowserTest {
    private static HttpServer app;
    private static TestServer server;
    private static final AtomicInteger tokensHanded = new AtomicInteger();

    @BeforeAll
    static void start() throws IOException {
        app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String origin = "http://127.0.0.1:" + app.getAddress().getPort();
        server = TestServer.start(o -> o.withAuth(AuthOptions.defaults().withCorsOrigins(List.of(origin))));
        String page = docsExample().replace("https://herald.example.com", server.baseUrl());
        app.createContext("/import.html", exchange -> answer(exchange, "text/html", page));
        app.createContext("/my-app/herald-token", exchange -> {
            tokensHanded.incrementAndGet();
            answer(exchange, "text/plain", TestServer.TOKEN);
        });
        app.start();
    }

    @AfterAll
    static void stop() {
        Chromium.driver().get("about:blank");
        if (server != null) {
            server.close();
        }
        if (app != null) {
            app.stop(0);
        }
    }

    @Test
    void theDocsPlainPageShowsAJobLiveFromAnotherOrigin() {
        String job = createWith(server, "{\"type\":\"import\",\"status\":\"running\"}");
        Chromium.driver().get("http://127.0.0.1:" + app.getAddress().getPort() + "/import.html?job=" + job);
        HarnessPage.await("the job's status", d -> "running".equals(text("status")));
        assertThat(tokensHanded.get()).isPositive();

        progress(server, job, "{\"current\":1,\"total\":4,\"message\":\"loading rows\"}");
        log(server, job, "a quarter done");
        HarnessPage.await("25.0% with its message", d -> "25.0%".equals(text("percent"))
                && "loading rows".equals(text("message")));
        assertThat(Chromium.js("return document.getElementById('bar').getAttribute('aria-valuenow')")).isEqualTo("25");
        HarnessPage.await("the log line", d -> String.valueOf(Chromium.js("return document.getElementById('log').textContent"))
                .contains("info a quarter done"));
        assertThat(Chromium.driver().getTitle()).isEqualTo("Import (live)");
    }

    private static String text(String id) {
        return String.valueOf(Chromium.js("return document.getElementById(arguments[0]).textContent", id));
    }

    /** The first html block of docs/browser.md. */
    private static String docsExample() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "browser.md"));
        int start = doc.indexOf("```html\n") + "```html\n".length();
        return doc.substring(start, doc.indexOf("```", start));
    }

    private static void answer(HttpExchange exchange, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
