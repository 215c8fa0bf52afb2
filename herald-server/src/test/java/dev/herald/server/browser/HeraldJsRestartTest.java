package dev.herald.server.browser;

import dev.herald.server.support.Chromium;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static dev.herald.server.browser.HarnessPage.assertVersionOrder;
import static dev.herald.server.browser.HarnessPage.awaitSeen;
import static dev.herald.server.browser.HarnessPage.awaitState;
import static dev.herald.server.browser.HarnessPage.hasStatus;
import static dev.herald.server.browser.HarnessPage.seen;
import static dev.herald.server.browser.HarnessPage.transitions;
import static dev.herald.server.support.JobsOverRest.action;
import static dev.herald.server.support.JobsOverRest.createWith;
import static dev.herald.server.support.JobsOverRest.progress;
import static org.assertj.core.api.Assertions.assertThat;

/** herald.js across a server restart: the server stops, starts again on the same port and data, the page goes on. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HeraldJsRestartTest {
    private Path data;
    private TestServer server;

    @AfterEach
    void stop() {
        Chromium.driver().get("about:blank");
        if (server != null) {
            server.close();
        }
        TestServer.deleteRecursively(data);
    }

    @Test
    void reconnectsAfterARestartAndMissesNoTransition() throws IOException {
        data = Files.createTempDirectory("herald-restart");
        server = TestServer.startOn(data, 0);
        int port = HeraldJsBrowserTest.port(server);
        String job = createWith(server, "{\"type\":\"browser-restart\",\"status\":\"running\"}");
        HarnessPage.open(server.baseUrl(), job);
        awaitState("live");
        progress(server, job, "{\"current\":1,\"total\":3}");
        awaitSeen("progress", s -> s.size() >= 2);

        server.close();
        awaitState("reconnecting");
        server = TestServer.startOn(data, port);
        action(server, job, "retry", "{}");
        action(server, job, "start", "{}");
        action(server, job, "complete", "{}");

        awaitSeen("completed", s -> hasStatus(s, "completed"));
        awaitState("live");
        assertThat(transitions(seen())).containsExactly("queued", "running", "completed");
        assertVersionOrder(seen());
        assertThat(String.valueOf(Chromium.js("return window.states"))).contains("reconnecting");
    }
}
