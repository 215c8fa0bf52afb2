package dev.herald.server.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.support.Chromium;
import dev.herald.server.support.JobsOverRest;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.herald.server.dashboard.DashboardDom.byTestId;
import static dev.herald.server.dashboard.DashboardDom.row;
import static dev.herald.server.dashboard.DashboardDom.rowText;
import static dev.herald.server.dashboard.DashboardDom.rows;
import static dev.herald.server.dashboard.DashboardDom.testId;
import static dev.herald.server.dashboard.DashboardDom.waitFor;
import static dev.herald.server.support.JobsOverRest.JSON;
import static dev.herald.server.support.JobsOverRest.action;
import static dev.herald.server.support.JobsOverRest.createWith;
import static dev.herald.server.support.JobsOverRest.progress;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard end to end in real headless Chromium against a real server: the live list, the job page (stages,
 * fields, log tail, children tree, cancel), keyboard use and colours. Writes the README's screenshots into docs/.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the list's screenshot shows its own jobs only
class DashboardBrowserTest extends DashboardServer {
    private static final String XSS = "<img src=x onerror=alert(1)>";
    private static final Path DOCS = Path.of("..", "docs");

    @Test
    @Order(1)
    void listsJobsLiveWithCountsPerStatus() {
        String staged = createWith(server, "{\"type\":\"import-csv\",\"name\":\"Import customers.csv\","
                + "\"stages\":[{\"name\":\"parsing\",\"weight\":20},{\"name\":\"loading\",\"weight\":80}]}");
        String parent = createWith(server, "{\"type\":\"nightly-batch\",\"name\":\"Nightly batch\",\"status\":\"running\"}");
        driver.get(server.baseUrl() + "/?token=" + TestServer.TOKEN);

        waitFor("the token to leave the URL", d -> !d.getCurrentUrl().contains("token"));
        waitFor("connection 'live'", d -> "live".equals(byTestId("connection").getDomAttribute("data-state")));
        waitFor("the row of " + staged, d -> "pending".equals(rowText(staged, "job-status")));
        assertThat(rowText(staged, "job-name")).isEqualTo("Import customers.csv");

        String late = createWith(server, "{\"type\":\"thumbnails\",\"name\":\"Late thumbnails\",\"status\":\"running\"}");
        waitFor("the row of a job created after loading", d -> "running".equals(rowText(late, "job-status")));

        // 20 (parsing done) + 80 × 400/1000 = 52 %, in the bar's second of two weighted segments.
        progress(server, staged, "{\"stage\":\"loading\",\"current\":400,\"total\":1000,\"unit\":\"rows\"}");
        waitFor("52.0% on " + staged, d -> "52.0%".equals(rowText(staged, "job-percent")));
        WebElement bar = row(staged).findElement(testId("job-bar"));
        assertThat(bar.getDomAttribute("role")).isEqualTo("progressbar");
        assertThat(bar.getDomAttribute("aria-valuenow")).isEqualTo("52.0");
        assertThat(bar.findElements(By.className("segment"))).hasSize(2);
        assertThat(rowText(staged, "job-stage")).isEqualTo("loading · stage 2/2");
        assertThat(rowText(staged, "job-count")).isEqualTo("400 / 1000 rows");
        waitFor("counts per status", d -> "3".equals(byTestId("count-running").getText()));

        for (int i = 1; i <= 3; i++) {
            String child = createWith(server, "{\"type\":\"part\",\"name\":\"part " + i + "\",\"parentId\":\"" + parent
                    + "\",\"status\":\"" + (i == 1 ? "pending" : "running") + "\"}");
            if (i == 3) {
                action(server, child, "complete", "{}");
            }
        }
        waitFor("the children's roll-up on the parent's row",
                d -> "1 pending, 1 running, 1 completed, 0 failed".equals(rowText(parent, "job-children")));

        progress(server, late, "{\"current\":36,\"total\":120,\"unit\":\"photos\",\"message\":\"Resizing holiday photos\"}");
        waitFor("30.0% on " + late, d -> "30.0%".equals(rowText(late, "job-percent")));
        waitFor("the server's counts, the children's too", d -> "4".equals(byTestId("count-running").getText())
                && "1".equals(byTestId("count-pending").getText()) && "1".equals(byTestId("count-completed").getText()));
        Chromium.screenshot(DOCS.resolve("dashboard-list.png"));

        progress(server, late, JSON.createObjectNode().put("current", 37).put("message", XSS).toString());
        waitFor("the message of " + late, d -> XSS.equals(rowText(late, "job-message")));
        assertThat(Chromium.js("return document.querySelectorAll('img').length")).isEqualTo(0L);

        action(server, staged, "complete", "{\"result\":{\"rows\":1000}}");
        waitFor("completed on " + staged, d -> "completed".equals(rowText(staged, "job-status")));
        waitFor("100.0% on " + staged, d -> "100.0%".equals(rowText(staged, "job-percent")));
        // the server's counts: the completed child, not listed, counts too
        waitFor("the counts to follow", d -> "2".equals(byTestId("count-completed").getText()));

        // The text filter narrows what is loaded; keyboard: focus the list, move down, open with Enter.
        byTestId("filter-text").sendKeys("thumb");
        waitFor("one row", d -> rows().size() == 1);
        byTestId("job-list").click();
        byTestId("job-list").sendKeys(Keys.ARROW_DOWN);
        driver.switchTo().activeElement().sendKeys(Keys.ENTER);
        waitFor("the page of " + late, d -> d.getCurrentUrl().endsWith("#/jobs/" + late));
        waitFor("its title", d -> "Late thumbnails".equals(byTestId("job-title").getText()));
        driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
        waitFor("the list again", d -> byTestId("job-list").isDisplayed());
    }

    @Test
    void jobPageShowsStagesFieldsLogTailChildrenTreeRetriesAndCancels() {
        String job = createWith(server, "{\"type\":\"nightly-report\",\"name\":\"Nightly report\",\"status\":\"running\","
                + "\"stages\":[{\"name\":\"collect\",\"weight\":30},{\"name\":\"render\",\"weight\":70}]}");
        progress(server, job, "{\"stage\":\"render\",\"current\":5,\"total\":10,\"metadata\":{\"pages\":12}}");
        log(job, "info", "collected 1200 rows");
        log(job, "debug", "cache warm");
        String shard = createWith(server, "{\"type\":\"shard\",\"name\":\"shard A\",\"parentId\":\"" + job
                + "\",\"status\":\"running\"}");
        createWith(server, "{\"type\":\"shard\",\"name\":\"shard B\",\"parentId\":\"" + job + "\"}");
        String leaf = createWith(server, "{\"type\":\"page\",\"name\":\"page 1\",\"parentId\":\"" + shard
                + "\",\"status\":\"running\"}");
        action(server, leaf, "complete", "{}");

        driver.get(server.baseUrl() + "/?token=" + TestServer.TOKEN + "#/jobs/" + job);
        waitFor("the job page", d -> "Nightly report".equals(byTestId("job-title").getText()));
        waitFor("65.0%", d -> "65.0%".equals(byTestId("job-page-percent").getText()));
        assertThat(byTestId("job-stages").findElements(By.tagName("li"))).extracting(WebElement::getText)
                .containsExactly("collect\nweight 30 (30.0%)", "render\nweight 70 (70.0%)");
        assertThat(byTestId("job-fields").getText()).contains("{\"pages\":12}");

        // The log tail: lines read at load, a line while open, then only warnings and up.
        waitFor("two log lines", d -> logMessages().size() == 2);
        log(job, "warn", "slow renderer");
        waitFor("the live log line", d -> logMessages().contains("slow renderer"));
        new Select(byTestId("log-level")).selectByValue("warn");
        waitFor("only warnings", d -> logMessages().equals(List.of("slow renderer")));

        // The children as a tree with their roll-up; a child's children open in place; a child's page is a link.
        waitFor("the roll-up", d -> byTestId("job-rollup").getText().equals("1 pending, 1 running, 0 completed, 0 failed"));
        WebElement shardRow = childRow(shard);
        waitFor("shard A's roll-up", d -> "0 pending, 0 running, 1 completed, 0 failed".equals(
                childRow(shard).findElement(testId("child-rollup")).getText()));
        shardRow.findElement(By.className("toggle")).click();
        waitFor("the grandchild", d -> childRow(leaf).getDomAttribute("data-status").equals("completed"));
        assertThat(childRow(leaf).getDomAttribute("aria-level")).isEqualTo("2");
        new Select(byTestId("log-level")).selectByValue("debug");
        waitFor("every line again", d -> logMessages().size() == 3);
        Chromium.js("window.scrollTo(0, 0)");
        Chromium.screenshot(DOCS.resolve("dashboard-job.png"));
        childRow(shard).findElement(By.linkText("shard A")).click();
        waitFor("shard A's page", d -> "shard A".equals(byTestId("job-title").getText()));
        driver.navigate().back();
        waitFor("back on the job", d -> "Nightly report".equals(byTestId("job-title").getText()));

        // Retry puts the running job back in the queue; cancel ends it.
        waitFor("the retry button", d -> byTestId("retry-button").isDisplayed());
        byTestId("retry-button").click();
        waitFor("queued", d -> "queued".equals(byTestId("job-page-status").getText()));
        waitFor("the cancel button", d -> byTestId("cancel-button").isDisplayed());
        byTestId("cancel-button").click();
        waitFor("cancelled", d -> "cancelled".equals(byTestId("job-page-status").getText()));
        waitFor("the cancel button to go", d -> !byTestId("cancel-button").isDisplayed());
        assertThat(JobsOverRest.job(server, job).get("status").asText()).isEqualTo("cancelled");
        assertThat(byTestId("action-error").isDisplayed()).isFalse();
    }

    @Test
    void pagesThroughOlderJobsAndKeepsOnlyTheRowsInSightInThePage() {
        String oldest = createWith(server, "{\"type\":\"paging\",\"name\":\"paging 0\"}");
        for (int i = 1; i < 230; i++) {
            createWith(server, "{\"type\":\"paging\",\"name\":\"paging " + i + "\"}");
        }
        String newest = createWith(server, "{\"type\":\"other\"}");
        driver.get(server.baseUrl() + "/?token=" + TestServer.TOKEN);
        waitFor("the list", d -> !rows().isEmpty());
        byTestId("filter-type").sendKeys("paging");
        waitFor("the server's count of all 230, with a first page of 200 loaded",
                d -> "230".equals(byTestId("count-pending").getText()) && byTestId("load-more").isDisplayed()
                && driver.findElements(By.cssSelector("[data-job-id='" + newest + "']")).isEmpty());
        assertThat(rows().size()).as("rows in the DOM").isLessThan(40);
        byTestId("load-more").click();
        waitFor("no more to load", d -> !byTestId("load-more").isDisplayed());
        // the older page's rows may still be joining the list when it is first scrolled: scroll down again each try
        waitFor("the oldest row in sight", d -> {
            Chromium.js("document.getElementById('job-list').scrollTop = 1e9");
            return !driver.findElements(By.xpath("//*[@data-testid='job-name' and text()='paging 0']")).isEmpty();
        });

        // a job changes status: the counts follow, from the server
        action(server, oldest, "start", "{}");
        waitFor("229 pending, 1 running", d -> "229".equals(byTestId("count-pending").getText())
                && "1".equals(byTestId("count-running").getText()));
    }

    @Test
    void badgesAndTextPassWcagAaContrast() {
        createWith(server, "{\"type\":\"contrast\",\"status\":\"running\"}");
        driver.get(server.baseUrl() + "/?token=" + TestServer.TOKEN);
        waitFor("rows", d -> !rows().isEmpty());
        @SuppressWarnings("unchecked")
        List<Object> failing = (List<Object>) Chromium.js(CONTRAST_CHECK);
        assertThat(failing).as("text below 4.5:1 against its background").isEmpty();
    }

    @Test
    void aRefusedTokenShowsTheTokenForm() {
        driver.get(server.baseUrl() + "/?token=not-the-token");
        waitFor("the refusal", d -> byTestId("token-error").isDisplayed());
        assertThat(driver.getCurrentUrl()).doesNotContain("not-the-token");
        assertThat(Chromium.js("return sessionStorage.getItem('herald.token')")).isNull();
        assertThat(byTestId("connection").getDomAttribute("data-state")).isEqualTo("offline");

        // The right token in the form opens the list.
        createWith(server, "{\"type\":\"after-the-form\"}");
        byTestId("token-input").sendKeys(TestServer.TOKEN, Keys.ENTER);
        waitFor("connection 'live'", d -> "live".equals(byTestId("connection").getDomAttribute("data-state")));
        waitFor("rows", d -> !rows().isEmpty());
        assertThat(byTestId("token-form").isDisplayed()).isFalse();
    }

    /** Every badge, count, muted text and link: its colour against the nearest opaque background, WCAG's formula. */
    private static final String CONTRAST_CHECK = """
            const lum = (c) => {
              const [r, g, b] = c.match(/[\\d.]+/g).map(Number).map((v) => v / 255)
                .map((v) => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
              return 0.2126 * r + 0.7152 * g + 0.0722 * b;
            };
            const background = (node) => {
              for (; node; node = node.parentElement) {
                const c = getComputedStyle(node).backgroundColor;
                if (!c.startsWith('rgba') || !c.endsWith(' 0)')) return c;
              }
              return 'rgb(255, 255, 255)';
            };
            return [...document.querySelectorAll('.badge, .flag, .count, .muted, .job-type, .job-id, a, .percent, .connection')]
              .filter((n) => n.offsetParent && n.textContent.trim())
              .map((n) => { const [a, b] = [lum(getComputedStyle(n).color), lum(background(n))];
                return [n.className + ' ' + n.textContent.trim(), (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)]; })
              .filter(([, ratio]) => ratio < 4.5).map(([what, ratio]) => what + ' ' + ratio.toFixed(2));""";

    private static void log(String job, String level, String message) {
        JsonNode body = JSON.createObjectNode().put("level", level).put("message", message);
        assertThat(server.post("/api/v1/jobs/" + job + "/logs", body.toString()).statusCode()).isEqualTo(202);
    }

    private static WebElement childRow(String jobId) {
        return driver.findElement(By.cssSelector("[data-testid='child-row'][data-job-id='" + jobId + "']"));
    }

    /** textContent, since getText() hides the text of hidden parts. */
    private static String rowText(String jobId, String part) {
        return row(jobId).findElement(testId(part)).getDomProperty("textContent");
    }

    private static List<String> logMessages() {
        return byTestId("job-log").findElements(testId("log-line")).stream().filter(WebElement::isDisplayed)
                .map(line -> line.findElement(By.className("log-message")).getText()).toList();
    }
}
