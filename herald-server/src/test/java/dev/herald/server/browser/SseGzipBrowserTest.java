package dev.herald.server.browser;

import dev.herald.server.support.Chromium;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static dev.herald.server.support.JobsOverRest.createWith;
import static dev.herald.server.support.JobsOverRest.progress;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A browser's own EventSource against a gzipped stream (API §3): Chromium asks for gzip by itself, gets it,
 * and hands each event to the page before the next update is even sent.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SseGzipBrowserTest {

    @AfterEach
    void oneFreshTab() {
        HarnessPage.oneFreshTab();
    }

    @Test
    void eventSourceReadsEachGzippedEventAsItComes() {
        try (TestServer server = TestServer.start()) {
            String job = createWith(server, "{\"type\":\"browser-gzip\",\"status\":\"running\"}");
            Chromium.driver().get(server.baseUrl() + "/health/live");
            Chromium.js("""
                    const url = '/api/v1/jobs/' + arguments[0] + '/events?access_token=' + arguments[1];
                    window.got = [];
                    window.encoding = null;
                    fetch(url).then(r => { window.encoding = r.headers.get('content-encoding'); r.body.cancel(); });
                    const source = new EventSource(url);
                    source.addEventListener('snapshot', () => window.live = true);
                    source.addEventListener('progress', e => window.got.push(JSON.parse(e.data).version));
                    """, job, TestServer.TOKEN);
            await("the snapshot and the fetch's headers",
                    () -> Boolean.TRUE.equals(Chromium.js("return window.live === true && window.encoding !== null")));
            assertThat(Chromium.js("return window.encoding")).as("what Chromium negotiated").isEqualTo("gzip");
            for (int k = 1; k <= 10; k++) {
                long version = progress(server, job, "{\"current\":" + k + ",\"total\":10}");
                await("version " + version, () -> ((List<?>) Chromium.js("return window.got")).stream()
                        .anyMatch(v -> ((Number) v).longValue() == version));
            }
            assertThat(((List<?>) Chromium.js("return window.got"))).hasSize(10);
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        Chromium.waitFor(what, Duration.ofSeconds(15), () -> String.valueOf(Chromium.js("return window.got")),
                d -> condition.getAsBoolean());
    }
}
