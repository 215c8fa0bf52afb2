package dev.herald.server.browser;

import dev.herald.server.support.Chromium;
import dev.herald.server.support.TestServer;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WindowType;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

import static dev.herald.server.support.JobsOverRest.metric;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The harness page (test resources, dashboard/test/harness.html) in the current tab: herald.js connected and
 * watching one job, what the watch delivered readable as {@link #seen()}.
 */
final class HarnessPage {
    static final Duration WAIT = Duration.ofSeconds(10);

    private HarnessPage() {
    }

    /** The harness's address: {@code query} as name/value pairs, each encoded. */
    static String url(String baseUrl, String... query) {
        StringBuilder b = new StringBuilder(baseUrl).append("/test/harness.html?");
        for (int i = 0; i < query.length; i += 2) {
            b.append(i == 0 ? "" : "&").append(query[i]).append('=')
                    .append(URLEncoder.encode(query[i + 1], StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    static void open(String baseUrl, String jobId, String... more) {
        String[] query = new String[more.length + 4];
        query[0] = "token";
        query[1] = TestServer.TOKEN;
        query[2] = "job";
        query[3] = jobId;
        System.arraycopy(more, 0, query, 4, more.length);
        Chromium.driver().get(url(baseUrl, query));
    }

    static String state() {
        return String.valueOf(Chromium.js("return window.herald ? window.herald.state : 'none'"));
    }

    /** What the watch delivered, in order: type, version, status and, for status events, the new status. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> seen() {
        return (List<Map<String, Object>>) Chromium.js("return window.seen || []");
    }

    static void awaitState(String state) {
        await("state " + state, d -> state.equals(state()));
    }

    static void awaitSeen(String what, Predicate<List<Map<String, Object>>> condition) {
        await(what, d -> condition.test(seen()));
    }

    static void await(String what, Function<WebDriver, Boolean> condition) {
        Chromium.waitFor(what, WAIT, () -> "state=" + state() + ", seen=" + seen(), condition);
    }

    static boolean hasStatus(List<Map<String, Object>> seen, String status) {
        return seen.stream().anyMatch(e -> status.equals(e.get("status")));
    }

    /** The status events' new statuses, in order. */
    static List<Object> transitions(List<Map<String, Object>> seen) {
        return seen.stream().filter(e -> "status".equals(e.get("type"))).map(e -> e.get("to")).toList();
    }

    /** Versions only go up: no version twice, none out of order. */
    static void assertVersionOrder(List<Map<String, Object>> seen) {
        List<Long> versions = seen.stream().map(e -> ((Number) e.get("version")).longValue()).toList();
        for (int i = 1; i < versions.size(); i++) {
            assertThat(versions.get(i)).as("versions %s", versions).isGreaterThan(versions.get(i - 1));
        }
    }

    /** Leaves one fresh tab (its own sessionStorage and history): the pages of a test, a crashed one too, close. */
    static void oneFreshTab() {
        WebDriver driver = Chromium.driver();
        List<String> old = new ArrayList<>(driver.getWindowHandles());
        String fresh = driver.switchTo().newWindow(WindowType.TAB).getWindowHandle();
        for (String handle : old) {
            try {
                driver.switchTo().window(handle).close();
            } catch (WebDriverException crashed) {
                // a crashed tab may refuse to be switched to; the browser still closes it with the session
            }
        }
        driver.switchTo().window(fresh);
    }

    static void awaitStreams(TestServer server, int expected) {
        await(expected + " open stream(s) on the server",
                d -> metric(server, "herald_streams_open", "transport=\"sse\"") == expected);
    }
}
