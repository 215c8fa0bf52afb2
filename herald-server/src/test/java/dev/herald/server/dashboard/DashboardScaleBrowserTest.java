package dev.herald.server.dashboard;

import dev.herald.server.auth.AuthOptions;
import dev.herald.server.support.Chromium;
import dev.herald.server.support.ManyJobs;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static dev.herald.server.dashboard.DashboardDom.byTestId;
import static dev.herald.server.dashboard.DashboardDom.rowText;
import static dev.herald.server.dashboard.DashboardDom.rows;
import static dev.herald.server.support.JobsOverRest.action;
import static dev.herald.server.support.JobsOverRest.progress;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's list at 10 000 jobs (BROWSER.md §4 "usable at 10 000 jobs"): the DOM keeps only the rows in
 * sight, the counts per status are the server's, paging reaches the oldest job, the rows in sight stay live
 * wherever the list is scrolled, and the filters narrow it.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DashboardScaleBrowserTest {
    private static final int JOBS = 10_000;
    /** A 900 px high window shows about 8 rows of 122 px, and the list adds 6 above and below. */
    private static final int MAX_ROWS_IN_DOM = 30;
    private static final Duration LONG = Duration.ofSeconds(90);
    private static TestServer server;
    private static List<String> ids;

    @BeforeAll
    static void start() {
        server = TestServer.start(o -> o.withAuth(AuthOptions.defaults().withWriteLimit(1e9, 1_000_000)));
        // even jobs import, odd ones export; 1 in 10 queued (all export), 1 in 10 running (all import), the rest
        // pending; 100 of the running complete: 8 000 pending, 1 000 queued, 900 running, 100 completed
        ids = ManyJobs.create(server, JOBS, i -> "{\"type\":\"" + (i % 2 == 0 ? "import" : "export")
                + "\",\"name\":\"" + name(i) + "\"" + (i % 10 == 1 ? ",\"status\":\"queued\"" : "")
                + (i % 10 == 2 ? ",\"status\":\"running\"" : "") + "}");
        for (int i = 2; i < JOBS; i += 100) {
            action(server, ids.get(i), "complete", "{}");
        }
    }

    @AfterAll
    static void stop() {
        Chromium.driver().get("about:blank");
        server.close();
    }

    @Test
    void tenThousandJobsStayVirtualizedLiveAndFilterable() {
        WebDriver driver = Chromium.driver();
        driver.get(server.baseUrl() + "/?token=" + TestServer.TOKEN);
        await("connection 'live'", d -> "live".equals(byTestId("connection").getDomAttribute("data-state")));
        awaitCounts(Map.of("pending", 8000, "queued", 1000, "running", 900, "completed", 100));
        await("the first rows", d -> !rows().isEmpty());
        assertThat(rows().size()).as("rows in the DOM").isLessThanOrEqualTo(MAX_ROWS_IN_DOM);

        // A job in sight moves (an import: the exports' counts below stay as made): its row and the counts follow.
        WebElement first = rows().stream().filter(r -> "pending".equals(r.getDomAttribute("data-status"))
                && "import".equals(typeOf(r))).findFirst().orElseThrow();
        String moved = first.getDomAttribute("data-job-id");
        action(server, moved, "start", "{}");
        await("the row of " + moved + " running", d -> "running".equals(rowText(moved, "job-status")));
        awaitCounts(Map.of("pending", 7999, "running", 901));

        // Scrolling pages through every older job, down to the oldest, with no more rows in the DOM.
        scrollToTheEndUntil("the oldest job's row", d -> !byName(name(0)).isEmpty());
        assertThat(rows().size()).as("rows in the DOM at the end").isLessThanOrEqualTo(MAX_ROWS_IN_DOM);
        assertThat(byName(name(0)).get(0).findElement(By.xpath("ancestor::li")).getDomAttribute("aria-setsize"))
                .isEqualTo(String.valueOf(JOBS));
        // ...and the rows in sight there are live too, though the newest thousand jobs hold the list's watches.
        progress(server, ids.get(0), "{\"current\":3,\"total\":4,\"message\":\"the oldest moves\"}");
        await("the oldest job's row live", d -> "75.0%".equals(rowText(ids.get(0), "job-percent")));

        // Filters: status and type on the server (the counts follow the type), text over what is loaded.
        new Select(byTestId("filter-status")).selectByVisibleText("queued");
        byTestId("filter-type").sendKeys("export");
        awaitCounts(Map.of("pending", 4000, "queued", 1000, "running", 0, "completed", 0));
        await("only queued exports", d -> !rows().isEmpty() && rows().stream().allMatch(r ->
                "queued".equals(r.getDomAttribute("data-status")) && "export".equals(typeOf(r))));
        scrollToTheEndUntil("every queued export loaded", d -> !byName(name(1)).isEmpty());
        assertThat(rows().get(0).getDomAttribute("aria-setsize")).isEqualTo("1000");
        byTestId("filter-text").sendKeys(name(11));
        await("one row", d -> rows().size() == 1 && rowText(ids.get(11), "job-name").equals(name(11)));
    }

    private static String name(int i) {
        return String.format("scale %05d", i);
    }

    private static List<WebElement> byName(String name) {
        return Chromium.driver().findElements(By.xpath("//*[@data-testid='job-name' and text()='" + name + "']"));
    }

    private static String typeOf(WebElement row) {
        return row.findElement(By.className("job-type")).getDomProperty("textContent");
    }

    /** Scrolls to the end again each try: each scroll near the end loads the next older page. */
    private static void scrollToTheEndUntil(String what, Function<WebDriver, Boolean> condition) {
        Chromium.waitFor(what, LONG, DashboardScaleBrowserTest::state, d -> {
            Chromium.js("const list = document.getElementById('job-list'); list.scrollTop = list.scrollHeight");
            return condition.apply(d);
        });
    }

    private static void awaitCounts(Map<String, Integer> counts) {
        await("counts " + counts, d -> counts.entrySet().stream().allMatch(e ->
                String.valueOf(e.getValue()).equals(byTestId("count-" + e.getKey()).getText())));
    }

    private static void await(String what, Function<WebDriver, Boolean> condition) {
        Chromium.waitFor(what, Duration.ofSeconds(15), DashboardScaleBrowserTest::state, condition);
    }

    private static String state() {
        return "rows=" + rows().size() + ", counts=" + Chromium.js("return [...document.querySelectorAll('.count')]"
                + ".map((c) => c.textContent).join(', ')");
    }
}
