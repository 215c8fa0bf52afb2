package dev.herald.server.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The dashboard end to end: a real server, Debian's headless Chromium driven by Selenium through
 * Debian's chromedriver. Every wait is bounded (a few seconds) and none of them is a timing claim.
 *
 * <p>Needs {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} ({@code apt-get install chromium
 * chromium-driver}, which {@code .ci/run} does); without them the test fails and says so, it never skips.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DashboardBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String JOBS = "/api/v1/jobs";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Bounded wait for something the page does on its own (a rendered event, a click's answer). */
    private static final Duration WAIT = Duration.ofSeconds(5);
    /** Bounded wait for a job created after loading: the dashboard re-reads the list every 5 s. */
    private static final Duration REFRESH_WAIT = Duration.ofSeconds(8);
    private static final String XSS = "<img src=x onerror=alert(1)>";

    private static TestServer server;
    private static ChromeDriverService service;
    private static WebDriver driver;
    private static Path profile;

    @BeforeAll
    static void start() throws IOException {
        requireExecutable(CHROMIUM, "chromium");
        requireExecutable(CHROMEDRIVER, "chromium-driver");
        // Selenium only warns that it has no CDP binding for this Chromium version: that is fine here.
        Logger.getLogger("org.openqa.selenium").setLevel(Level.SEVERE);

        server = TestServer.start();
        profile = Files.createTempDirectory("herald-chromium");
        service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                "--user-data-dir=" + profile);
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(15)).scriptTimeout(Duration.ofSeconds(5));
    }

    /** Fails (never skips) with what is missing and how to install it. */
    private static void requireExecutable(Path file, String debianPackage) {
        if (!Files.isExecutable(file)) {
            fail(file + " is missing: the dashboard test drives Debian's headless Chromium. Install it with "
                    + "`apt-get install chromium chromium-driver` (package " + debianPackage
                    + "; .ci/run installs both when missing).");
        }
    }

    @AfterAll
    static void stop() {
        try {
            if (driver != null) {
                driver.quit();
            }
        } finally {
            if (service != null) {
                service.stop();
            }
            if (server != null) {
                server.close();
            }
            if (profile != null) {
                TestServer.deleteRecursively(profile);
            }
        }
    }

    @Test
    void showsJobsLiveAndCancelsFromTheDetailPanel() throws IOException {
        // Created before the page loads.
        String staged = create("{\"type\":\"import-csv\",\"name\":\"Import customers.csv\","
                + "\"stages\":[{\"name\":\"parsing\",\"weight\":20},{\"name\":\"loading\",\"weight\":80}]}");
        String parent = create("{\"type\":\"nightly-batch\",\"name\":\"Nightly batch\",\"status\":\"running\"}");

        driver.get(server.baseUrl() + "/?token=" + TestServer.TOKEN);

        // The token leaves the visible address and the live stream connects.
        waitFor("the token to leave the URL", WAIT, d -> !d.getCurrentUrl().contains("token"));
        assertThat(driver.getCurrentUrl()).doesNotContain(TestServer.TOKEN);
        waitFor("connection indicator 'live'", WAIT, d -> "live".equals(byTestId("connection").getDomAttribute("data-state")));

        // A job created before loading is listed with its status badge.
        waitFor("the row of " + staged, WAIT, d -> "pending".equals(rowText(staged, "job-status")));
        assertThat(rowText(staged, "job-name")).isEqualTo("Import customers.csv");
        assertThat(rowText(staged, "job-percent")).isEqualTo("0.0%");

        // A job created after loading shows up with the dashboard's periodic refresh.
        String late = create("{\"type\":\"thumbnails\",\"name\":\"Late thumbnails\",\"status\":\"running\"}");
        waitFor("the row of " + late + " (created after loading)", REFRESH_WAIT,
                d -> "running".equals(rowText(late, "job-status")));

        // Progress moves the row without a reload: 20 (parsing done) + 80 × 400/1000 = 52 %.
        ok(server.post(JOBS + "/" + staged + "/progress", "{\"stage\":\"loading\",\"current\":400,\"total\":1000}"));
        waitFor("52.0% on " + staged, WAIT, d -> "52.0%".equals(rowText(staged, "job-percent")));
        assertThat(Double.parseDouble(row(staged).findElement(testId("job-bar")).getDomAttribute("aria-valuenow")))
                .isEqualTo(52.0);
        assertThat(rowText(staged, "job-status")).isEqualTo("running");
        assertThat(rowText(staged, "job-stage")).isEqualTo("loading · stage 2/2");
        assertThat(rowText(staged, "job-count")).isEqualTo("400 / 1000");

        // Completion turns the badge and fills the bar.
        ok(server.post(JOBS + "/" + staged + "/complete", "{\"result\":{\"rows\":1000}}"));
        waitFor("completed on " + staged, WAIT, d -> "completed".equals(rowText(staged, "job-status")));
        waitFor("100.0% on " + staged, WAIT, d -> "100.0%".equals(rowText(staged, "job-percent")));
        assertThat(Double.parseDouble(row(staged).findElement(testId("job-bar")).getDomAttribute("aria-valuenow")))
                .isEqualTo(100.0);

        // A parent's row sums up its children once the summary arrives (children are not rows by default).
        String pendingChild = create("{\"type\":\"part\",\"name\":\"part 1\",\"parentId\":\"" + parent + "\"}");
        String runningChild = create("{\"type\":\"part\",\"name\":\"part 2\",\"parentId\":\"" + parent
                + "\",\"status\":\"running\"}");
        String doneChild = create("{\"type\":\"part\",\"name\":\"part 3\",\"parentId\":\"" + parent
                + "\",\"status\":\"running\"}");
        ok(server.post(JOBS + "/" + doneChild + "/complete", "{}"));
        waitFor("the children summary of " + parent, WAIT,
                d -> "1 pending, 1 running, 1 completed, 0 failed".equals(rowText(parent, "job-children")));
        assertThat(rows()).extracting(r -> r.getDomAttribute("data-job-id"))
                .doesNotContain(pendingChild, runningChild, doneChild);

        // Text from the server is text, never markup.
        ok(server.post(JOBS + "/" + late + "/progress", JSON.createObjectNode()
                .put("current", 3).put("message", XSS).toString()));
        waitFor("the message of " + late, WAIT, d -> XSS.equals(rowText(late, "job-message")));
        assertThat(row(late).findElements(By.tagName("img"))).isEmpty();
        assertThat(js("return document.querySelectorAll('img').length")).isEqualTo(0L);

        // Clicking a row opens the detail panel with the job's log.
        String worker = create("{\"type\":\"reindex\",\"name\":\"Reindex search\",\"status\":\"running\"}");
        ok(server.post(JOBS + "/" + worker + "/logs", "{\"level\":\"info\",\"message\":\"opened the index\"}"));
        ok(server.post(JOBS + "/" + worker + "/logs",
                "{\"level\":\"warn\",\"message\":\"slow shard\",\"fields\":{\"shard\":3}}"));
        waitFor("the row of " + worker, REFRESH_WAIT, d -> "running".equals(rowText(worker, "job-status")));
        row(worker).findElement(testId("job-name")).click();
        waitFor("the detail panel", WAIT, d -> byTestId("detail-panel").isDisplayed());
        waitFor("the detail of " + worker, WAIT, d -> "Reindex search".equals(byTestId("detail-title").getText()));
        waitFor("two log lines", WAIT, d -> logMessages().size() == 2);
        assertThat(logMessages()).containsExactly("opened the index", "slow shard");
        assertThat(row(worker).getDomAttribute("class")).contains("selected");
        // The open panel leaves the connection indicator in sight (nothing else is on top of it).
        assertThat(js("const c = document.getElementById('connection'); const r = c.getBoundingClientRect();"
                + " return c.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2));"))
                .as("the connection indicator is visible, not covered by the detail panel").isEqualTo(true);

        // Cancel from the panel: the page, the row and the server agree.
        WebElement cancel = byTestId("cancel-button");
        waitFor("the cancel button", WAIT, d -> byTestId("cancel-button").isDisplayed());
        cancel.click();
        waitFor("cancelled in the detail panel", WAIT, d -> "cancelled".equals(byTestId("detail-status").getText()));
        waitFor("cancelled in the row", WAIT, d -> "cancelled".equals(rowText(worker, "job-status")));
        waitFor("the cancel button to go", WAIT, d -> !byTestId("cancel-button").isDisplayed());
        assertThat(byTestId("cancel-error").isDisplayed()).isFalse();
        HttpResponse<String> read = server.get(JOBS + "/" + worker);
        assertThat(json(read).get("status").asText()).as(read.body()).isEqualTo("cancelled");

        assertThat(byTestId("connection").getDomAttribute("data-state")).isEqualTo("live");
        assertThat(byTestId("list-error").isDisplayed()).isFalse();
        screenshot(Path.of("target", "dashboard.png"));
    }

    @Test
    void wrongTokenShowsTheTokenForm() {
        driver.get(server.baseUrl() + "/?token=not-the-token");
        waitFor("the token form", WAIT, d -> byTestId("token-form").isDisplayed());
        waitFor("the refusal", WAIT, d -> byTestId("token-error").isDisplayed());
        assertThat(byTestId("token-error").getText()).isEqualTo("Token refused");
        assertThat(driver.findElement(By.id("jobs-view")).isDisplayed()).isFalse();
        assertThat(driver.getCurrentUrl()).doesNotContain("not-the-token");
        assertThat(js("return sessionStorage.getItem('herald.token')")).isNull();
        assertThat(byTestId("connection").getDomAttribute("data-state")).isEqualTo("offline");
    }

    // ---------- helpers ----------

    private static String create(String body) {
        HttpResponse<String> r = server.post(JOBS, body);
        assertThat(r.statusCode()).as("create %s -> %s", body, r.body()).isEqualTo(201);
        return json(r).get("id").asText();
    }

    private static void ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as("%s -> %s", r.request().uri(), r.body()).isBetween(200, 299);
    }

    private static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static By testId(String id) {
        return By.cssSelector("[data-testid='" + id + "']");
    }

    private static WebElement byTestId(String id) {
        return driver.findElement(testId(id));
    }

    private static List<WebElement> rows() {
        return driver.findElements(testId("job-row"));
    }

    private static WebElement row(String jobId) {
        return driver.findElement(By.cssSelector("[data-testid='job-row'][data-job-id='" + jobId + "']"));
    }

    /** The textContent of one part of a job's row (getText() would hide text of hidden parts as ""). */
    private static String rowText(String jobId, String part) {
        return row(jobId).findElement(testId(part)).getDomProperty("textContent");
    }

    private static List<String> logMessages() {
        return byTestId("detail-panel").findElements(testId("log-line")).stream()
                .map(line -> line.findElement(By.className("log-message")).getText())
                .toList();
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    /** Waits (bounded) until the condition holds; a missing or replaced element only means "not yet". */
    private static void waitFor(String what, Duration timeout, Function<WebDriver, Boolean> condition) {
        new WebDriverWait(driver, timeout, Duration.ofMillis(50))
                .ignoring(NoSuchElementException.class)
                .ignoring(StaleElementReferenceException.class)
                .withMessage(() -> "waiting for " + what + "; " + pageState())
                .until(condition);
    }

    private static String pageState() {
        try {
            return "connection=" + byTestId("connection").getDomAttribute("data-state")
                    + ", list-error=" + Objects.toString(byTestId("list-error").getDomProperty("textContent"))
                    + ", rows=" + rows().size() + ", url=" + driver.getCurrentUrl();
        } catch (RuntimeException e) {
            return "page state unreadable: " + e;
        }
    }

    private static void screenshot(Path target) throws IOException {
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.createDirectories(target.toAbsolutePath().getParent());
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }
}
