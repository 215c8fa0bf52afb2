package dev.herald.server.browser;

import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** A herald.js browser test's setting: a server of default options for the test class, a fresh tab per test. */
abstract class HarnessServer {
    static TestServer server;

    @BeforeAll
    static void startServer() {
        server = TestServer.start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void oneFreshTab() {
        HarnessPage.oneFreshTab();
    }
}
