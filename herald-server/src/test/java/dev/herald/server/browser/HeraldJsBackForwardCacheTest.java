package dev.herald.server.browser;

import dev.herald.server.support.Chromium;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WindowType;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.herald.server.browser.HarnessPage.assertVersionOrder;
import static dev.herald.server.browser.HarnessPage.awaitSeen;
import static dev.herald.server.browser.HarnessPage.awaitState;
import static dev.herald.server.browser.HarnessPage.hasStatus;
import static dev.herald.server.browser.HarnessPage.seen;
import static dev.herald.server.browser.HarnessPage.transitions;
import static dev.herald.server.support.JobsOverRest.action;
import static dev.herald.server.support.JobsOverRest.createWith;
import static dev.herald.server.support.JobsOverRest.log;
import static dev.herald.server.support.JobsOverRest.progress;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * BROWSER.md §3 "Back/forward cache", with Chromium's real back/forward cache: the new headless mode (which the
 * shared Chromium runs) keeps pages in it as a headed browser does, so going to another page and back restores the
 * very page, its scripts' state and all ({@code pageshow} with {@code persisted}), and the test checks that it did.
 * A page that kept its stream or its Web Lock open would not be let into the cache (or would be evicted from it),
 * and one that did not resume on {@code pageshow} would stay silent: both fail here.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HeraldJsBackForwardCacheTest extends HarnessServer {
    private static final String RUNNING = "{\"type\":\"bfcache-test\",\"status\":\"running\"}";

    @Test
    void aPageInTheCacheClosesItsStreamAndResumesFromItsCursorWhenShownAgain() {
        String job = createWith(server, RUNNING);
        HarnessPage.open(server.baseUrl(), job);
        awaitState("live");
        progress(server, job, "{\"current\":1,\"total\":3}");
        awaitSeen("progress", s -> s.size() >= 2);
        awaitStreams(1);

        // Away to another page: the page goes into the cache and the server sees its stream close.
        Chromium.driver().get(server.baseUrl() + "/health/live");
        awaitStreams(0);
        action(server, job, "retry", "{}");
        log(server, job, "while away");
        action(server, job, "start", "{}");
        action(server, job, "complete", "{}");

        Chromium.driver().navigate().back();
        HarnessPage.await("the page restored from the back/forward cache",
                d -> ((Number) Chromium.js("return window.restored || 0")).intValue() >= 1);
        awaitSeen("completed", s -> hasStatus(s, "completed"));
        // the page's own list, kept across the cache: what it saw before leaving, then every transition of the gap
        assertThat(transitions(seen())).containsExactly("queued", "running", "completed");
        assertVersionOrder(seen());
        HarnessPage.await("the log line of the gap", d -> ((List<?>) Chromium.js("return window.logs")).contains("while away"));
        awaitStreams(1);
        assertThat(HarnessPage.state()).isEqualTo("live");
    }

    @Test
    void anotherTabLeadsWhileTheLeaderIsInTheCache() {
        String job = createWith(server, RUNNING);
        WebDriver driver = Chromium.driver();
        String first = driver.getWindowHandle();
        HarnessPage.open(server.baseUrl(), job);
        awaitState("live");
        String second = driver.switchTo().newWindow(WindowType.TAB).getWindowHandle();
        HarnessPage.open(server.baseUrl(), job);
        awaitState("live");
        awaitSeen("the snapshot", s -> !s.isEmpty());
        assertThat(leads()).isFalse();
        awaitStreams(1);

        driver.switchTo().window(first).get(server.baseUrl() + "/health/live");
        driver.switchTo().window(second);
        HarnessPage.await("the second tab leading", d -> leads());
        action(server, job, "retry", "{}");
        action(server, job, "start", "{}");
        action(server, job, "complete", "{}");
        awaitSeen("completed in the tab that took over", s -> hasStatus(s, "completed"));
        assertThat(transitions(seen())).containsExactly("queued", "running", "completed");
        assertVersionOrder(seen());
        awaitStreams(1);

        // Back in the first tab: restored from the cache, now a follower of the second, which replays from the
        // first tab's cursor what it missed meanwhile: every transition of the gap, none twice, in order.
        driver.switchTo().window(first).navigate().back();
        HarnessPage.await("the first tab restored", d -> ((Number) Chromium.js("return window.restored || 0")).intValue() >= 1);
        awaitSeen("completed in the restored tab", s -> hasStatus(s, "completed"));
        assertThat(transitions(seen())).containsExactly("queued", "running", "completed");
        assertVersionOrder(seen());
        assertThat(leads()).isFalse();
        assertThat(HarnessPage.state()).isEqualTo("live");
        awaitStreams(1);
    }

    /** The same promise for a reload (BROWSER.md §3 "Refresh") of a tab that another tab serves. */
    @Test
    void aReloadedFollowerGetsTheTransitionsOfTheGapFromTheLeader() {
        String job = createWith(server, RUNNING);
        WebDriver driver = Chromium.driver();
        HarnessPage.open(server.baseUrl(), job);
        awaitState("live");
        driver.switchTo().newWindow(WindowType.TAB);
        HarnessPage.open(server.baseUrl(), job);
        awaitSeen("the snapshot", s -> !s.isEmpty());
        assertThat(leads()).isFalse();

        driver.get("about:blank");
        action(server, job, "retry", "{}");
        action(server, job, "start", "{}");
        action(server, job, "complete", "{}");
        HarnessPage.open(server.baseUrl(), job);

        awaitSeen("completed", s -> hasStatus(s, "completed"));
        assertThat(leads()).isFalse();
        assertThat(transitions(seen())).containsExactly("queued", "running", "completed");
        assertVersionOrder(seen());
        awaitStreams(1);
    }

    private static boolean leads() {
        return Boolean.TRUE.equals(Chromium.js("return window.herald.leader"));
    }

    private static void awaitStreams(int expected) {
        HarnessPage.awaitStreams(server, expected);
    }
}
