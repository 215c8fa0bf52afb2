package dev.herald.server.dashboard;

import dev.herald.server.support.Chromium;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.openqa.selenium.WebDriver;

/** A dashboard browser test's setting: a server of default options for the test class, the shared Chromium. */
abstract class DashboardServer {
    static TestServer server;
    static WebDriver driver;

    @BeforeAll
    static void startServer() {
        server = TestServer.start();
        driver = Chromium.driver();
    }

    @AfterAll
    static void stopServer() {
        driver.get("about:blank");
        server.close();
    }
}
