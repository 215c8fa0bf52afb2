package dev.herald.server.browser;

import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The server serves the browser client as a classic script and as a module, small enough to load anywhere. */
class HeraldJsServedTest {
    private static final int MAX_GZIPPED_BYTES = 15 * 1024;
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
    @ValueSource(strings = {"/herald.js", "/herald.mjs"})
    void isServedAsJavaScriptWithoutATokenAndWithinFifteenKibGzipped(String path) throws IOException {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri(path)).GET().build());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).contains("javascript");
        assertThat(r.body()).contains(path.endsWith(".mjs") ? "export { Herald };" : "global.Herald = Herald;");
        assertThat(gzipped(r.body())).as("%s gzipped", path).isLessThanOrEqualTo(MAX_GZIPPED_BYTES);
    }

    private static int gzipped(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.size();
    }
}
