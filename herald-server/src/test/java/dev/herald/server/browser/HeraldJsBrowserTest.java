package dev.herald.server.browser;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.herald.server.auth.AuthOptions;
import dev.herald.server.auth.JwtOptions;
import dev.herald.server.sdk.FaultyProxy;
import dev.herald.server.support.Chromium;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
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

/** herald.js (BROWSER.md §1–§3) in real headless Chromium against a real server: each promise of §3 in turn. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HeraldJsBrowserTest {
    private static final String SECRET = "a browser test's HS256 secret, 32+ bytes long";
    private static final String RUNNING = "{\"type\":\"browser-test\",\"status\":\"running\"}";
    private static TestServer server;

    @BeforeAll
    static void start() {
        // a keep-alive of 1 s lets the harness (keepAliveMs=1000) tell a held-back stream within 2 s
        server = TestServer.start(o -> o.withKeepAlive(Duration.ofSeconds(1))
                .withAuth(AuthOptions.defaults().withJwt(JwtOptions.hs256(SECRET))));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Every test starts in one fresh tab: the pages of the last test (a crashed one too) are closed. */
    @AfterEach
    void oneFreshTab() {
        HarnessPage.oneFreshTab();
    }

    @Test
    void deliversEveryTransitionAndLogLineInVersionOrder() {
        String job = createWith(server, RUNNING);
        HarnessPage.open(server.baseUrl(), job, "keepAliveMs", "1000");
        awaitState("live");
        awaitSeen("the snapshot", s -> !s.isEmpty());

        progress(server, job, "{\"current\":1,\"total\":3}");
        log(server, job, "first line");
        action(server, job, "retry", "{}");
        action(server, job, "start", "{}");
        progress(server, job, "{\"current\":2,\"total\":3}");
        action(server, job, "complete", "{}");

        awaitSeen("completed", s -> hasStatus(s, "completed"));
        assertThat(transitions(seen())).endsWith("queued", "running", "completed");
        assertVersionOrder(seen());
        HarnessPage.await("the log line", d -> ((List<?>) Chromium.js("return window.logs")).contains("first line"));
    }

    @Test
    void deliversTheSameOverWebSocket() {
        String job = createWith(server, RUNNING);
        HarnessPage.open(server.baseUrl(), job, "transport", "websocket");
        awaitState("live");
        awaitSeen("the snapshot", s -> !s.isEmpty());
        action(server, job, "retry", "{}");
        action(server, job, "start", "{}");
        action(server, job, "complete", "{}");
        awaitSeen("completed", s -> hasStatus(s, "completed"));
        assertThat(transitions(seen())).endsWith("queued", "running", "completed");
        assertVersionOrder(seen());
    }

    @Test
    void aReloadedPageGetsTheTransitionsOfTheGapAsEvents() {
        String job = createWith(server, RUNNING);
        HarnessPage.open(server.baseUrl(), job);
        awaitState("live");
        progress(server, job, "{\"current\":1,\"total\":3}");
        awaitSeen("progress", s -> s.size() >= 2);

        // The page goes away (its cursor kept in sessionStorage) while the job moves on, then loads again.
        Chromium.driver().get("about:blank");
        action(server, job, "retry", "{}");
        action(server, job, "start", "{}");
        action(server, job, "complete", "{}");
        HarnessPage.open(server.baseUrl(), job);

        awaitSeen("completed", s -> hasStatus(s, "completed"));
        assertThat(transitions(seen())).containsExactly("queued", "running", "completed");
        assertVersionOrder(seen());
    }

    @Test
    void waitsWhileOfflineAndCatchesUpAtOnceWhenOnline() {
        String job = createWith(server, RUNNING);
        HarnessPage.open(server.baseUrl(), job);
        awaitState("live");
        ChromeDriver chrome = (ChromeDriver) Chromium.driver();
        chrome.executeCdpCommand("Network.enable", Map.of());
        try {
            chrome.executeCdpCommand("Network.emulateNetworkConditions", network(true));
            awaitState("offline");
            action(server, job, "retry", "{}");
            action(server, job, "start", "{}");
        } finally {
            chrome.executeCdpCommand("Network.emulateNetworkConditions", network(false));
        }
        awaitState("live");
        awaitSeen("running again", s -> transitions(s).contains("running"));
        assertThat(transitions(seen())).endsWith("queued", "running");
        assertVersionOrder(seen());
    }

    private static Map<String, Object> network(boolean offline) {
        return Map.of("offline", offline, "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1);
    }

    @Test
    void fiveTabsShareOneStreamAndAnotherTabLeadsWhenTheLeaderCloses() {
        String job = createWith(server, RUNNING);
        WebDriver driver = Chromium.driver();
        List<String> tabs = openTabs(5, job);
        awaitStreams(1);

        String leader = tabs.stream().filter(HeraldJsBrowserTest::leads).findFirst().orElseThrow();
        driver.switchTo().window(leader).close();
        tabs.remove(leader);

        // The job moves on while (or right after) another tab takes over: no tab misses a transition.
        retryStartAndCompleteSeenIn(tabs, job);
        awaitStreams(1);
        assertThat(tabs.stream().filter(HeraldJsBrowserTest::leads)).hasSize(1);
    }

    @Test
    void theNewLeaderPassesItsFirstEventsOnBeforeTheOtherTabsAnswerIt() {
        String job = createWith(server, RUNNING);
        WebDriver driver = Chromium.driver();
        List<String> tabs = openTabs(3, job);
        String leader = tabs.stream().filter(HeraldJsBrowserTest::leads).findFirst().orElseThrow();
        tabs.remove(leader);
        // The other tabs stop telling what they watch, as if slow to answer the next leader's hello: the events of
        // the handover must reach them all the same (a tab heard of before the handover is one the leader serves).
        for (String tab : tabs) {
            driver.switchTo().window(tab);
            Chromium.js("const post = herald.tabs.post.bind(herald.tabs);"
                    + " herald.tabs.post = (message) => message.t === 'needs' || post(message);");
        }
        driver.switchTo().window(leader).close();

        retryStartAndCompleteSeenIn(tabs, job);
    }

    @Test
    void anotherTabLeadsWhenTheLeadersRendererCrashes() {
        String job = createWith(server, RUNNING);
        WebDriver driver = Chromium.driver();
        List<String> tabs = openTabs(3, job);
        String leader = tabs.stream().filter(HeraldJsBrowserTest::leads).findFirst().orElseThrow();
        driver.switchTo().window(leader);
        try {
            ((ChromeDriver) driver).executeCdpCommand("Page.crash", Map.of());
        } catch (WebDriverException expected) {
            // the page is gone before it could answer
        }
        tabs.remove(leader);

        retryStartAndCompleteSeenIn(tabs, job);
        assertThat(tabs.stream().filter(HeraldJsBrowserTest::leads)).hasSize(1);
    }

    @Test
    void pollsBehindAProxyThatHoldsBackEventStreams() {
        String job = createWith(server, RUNNING);
        try (FaultyProxy proxy = new FaultyProxy(port(server), FaultyProxy.Mode.BUFFER_STREAMS)) {
            HarnessPage.open(proxy.baseUrl(), job, "keepAliveMs", "1000");
            awaitState("polling");
            awaitSeen("the first poll", s -> !s.isEmpty());
            progress(server, job, "{\"current\":2,\"total\":3}");
            action(server, job, "complete", "{}");
            awaitSeen("completed", s -> hasStatus(s, "completed"));
            assertVersionOrder(seen());
            assertThat(HarnessPage.state()).isEqualTo("polling");
        }
    }

    @Test
    void fetchesANewTokenThroughGetTokenAfterA401() {
        String job = createWith(server, RUNNING);
        Chromium.driver().get(HarnessPage.url(server.baseUrl(), "job", job,
                "tokens", jwt(Instant.now().minusSeconds(3600)) + "," + jwt(Instant.now().plusSeconds(3600))));
        awaitState("live");
        awaitSeen("the snapshot", s -> !s.isEmpty());
        assertThat(((Number) Chromium.js("return window.tokenCalls")).intValue()).isGreaterThanOrEqualTo(2);
        progress(server, job, "{\"current\":1,\"total\":2}");
        awaitSeen("progress", s -> s.size() >= 2);
    }

    /** Tabs on the harness watching the job, each live with its snapshot; the first is the current tab. */
    private static List<String> openTabs(int count, String job) {
        WebDriver driver = Chromium.driver();
        List<String> tabs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                driver.switchTo().newWindow(WindowType.TAB);
            }
            tabs.add(driver.getWindowHandle());
            HarnessPage.open(server.baseUrl(), job);
        }
        for (String tab : tabs) {
            driver.switchTo().window(tab);
            awaitState("live");
            awaitSeen("the snapshot in every tab", s -> !s.isEmpty());
        }
        return tabs;
    }

    /** The job goes back to queued, runs and completes: each of the tabs sees every transition, in version order. */
    private static void retryStartAndCompleteSeenIn(List<String> tabs, String job) {
        action(server, job, "retry", "{}");
        action(server, job, "start", "{}");
        action(server, job, "complete", "{}");
        for (String tab : tabs) {
            Chromium.driver().switchTo().window(tab);
            awaitSeen("completed in every tab", s -> hasStatus(s, "completed"));
            assertThat(transitions(seen())).containsExactly("queued", "running", "completed");
            assertVersionOrder(seen());
        }
    }

    private static boolean leads(String tab) {
        Chromium.driver().switchTo().window(tab);
        return Boolean.TRUE.equals(Chromium.js("return window.herald.leader"));
    }

    private static void awaitStreams(int expected) {
        HarnessPage.awaitStreams(server, expected);
    }

    static int port(TestServer s) {
        return URI.create(s.baseUrl()).getPort();
    }

    private static String jwt(Instant expiry) {
        try {
            JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("browser").claim("projects", List.of("*"))
                    .claim("scope", "read").expirationTime(Date.from(expiry)).build();
            SignedJWT token = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            token.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
            return token.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
