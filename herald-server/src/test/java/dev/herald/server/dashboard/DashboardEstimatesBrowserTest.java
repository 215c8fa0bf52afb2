package dev.herald.server.dashboard;

import dev.herald.core.time.SettableClock;
import dev.herald.server.support.Chromium;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static dev.herald.server.dashboard.DashboardDom.byTestId;
import static dev.herald.server.dashboard.DashboardDom.rowShows;
import static dev.herald.server.dashboard.DashboardDom.rowText;
import static dev.herald.server.dashboard.DashboardDom.testId;
import static dev.herald.server.dashboard.DashboardDom.waitFor;
import static dev.herald.server.support.JobsOverRest.action;
import static dev.herald.server.support.JobsOverRest.createWith;
import static dev.herald.server.support.JobsOverRest.job;
import static dev.herald.server.support.JobsOverRest.progress;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * API §10 on the dashboard, in real headless Chromium against a server on a settable clock: estimates with their
 * range on the list and the job page, the stalled and overdue markers, and the "Types" view.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DashboardEstimatesBrowserTest {
    private static final SettableClock CLOCK = new SettableClock(Instant.parse("2026-12-07T10:00:00.000Z"));
    private static TestServer server;
    private static WebDriver driver;

    @BeforeAll
    static void start() {
        server = TestServer.onClock(CLOCK, o -> o.withStallAfter(Duration.ofSeconds(60)));
        driver = Chromium.driver();
    }

    @AfterAll
    static void stop() {
        driver.get("about:blank");
        server.close();
    }

    /** Runs of 8, 10 and 14 s: a spread, so estimates have a range and a run past 14 s is overdue. */
    private static void history(String project) {
        for (long seconds : new long[] {8, 10, 14}) {
            String id = createWith(server, render(project));
            CLOCK.advance(Duration.ofSeconds(seconds));
            action(server, id, "complete", "{}");
        }
        await().atMost(Duration.ofSeconds(10)).until(() ->
                server.get("/api/v1/stats/types?project=" + project).body().contains("\"sampleSize\":3"));
    }

    private static String render(String project) {
        return "{\"type\":\"render\",\"name\":\"Render " + project + "\",\"project\":\"" + project
                + "\",\"status\":\"running\"}";
    }

    @Test
    void estimatesShowTheirRangeAndASilentJobIsMarkedStalledUntilItSpeaks() {
        String project = "eta-" + UUID.randomUUID();
        history(project);
        String id = createWith(server, render(project));
        CLOCK.advance(Duration.ofSeconds(1));
        progress(server, id, "{\"current\":10,\"total\":100}");
        driver.get(server.baseUrl() + "/?token=" + TestServer.TOKEN);

        String estimate = "about \\d+ s left \\(\\d+–\\d+\\)";
        waitFor("the estimate with its range", d -> rowText(id, "job-eta").matches(estimate));
        assertThat(rowShows(id, "job-stalled")).isFalse();

        CLOCK.advance(Duration.ofSeconds(61));
        waitFor("the stalled marker", d -> rowShows(id, "job-stalled"));
        assertThat(rowText(id, "job-stalled")).isEqualTo("stalled");
        progress(server, id, "{\"current\":20}");
        waitFor("the marker to go with the next report", d -> !rowShows(id, "job-stalled"));

        driver.get(server.baseUrl() + "/#/jobs/" + id);
        waitFor("the estimate on the job page", d -> byTestId("job-page-eta").getText().matches(estimate));
        assertThat(byTestId("job-fields").getText()).contains("history of 3 runs");
    }

    @Test
    void aRunPastNineInTenOfItsTypesRunsIsMarkedOverdue() {
        String project = "late-" + UUID.randomUUID();
        history(project);
        String id = createWith(server, render(project));
        for (int i = 1; i <= 4; i++) {
            CLOCK.advance(Duration.ofSeconds(5));
            progress(server, id, "{\"current\":" + i + ",\"total\":100}");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> job(server, id).get("overdue").asBoolean());
        driver.get(server.baseUrl() + "/?token=" + TestServer.TOKEN + "#/jobs/" + id);
        waitFor("the overdue marker", d -> "overdue".equals(byTestId("job-page-overdue").getText()));
        assertThat(byTestId("job-page-stalled").isDisplayed()).isFalse();
        driver.get(server.baseUrl() + "/#/");
        waitFor("the overdue marker on the list", d -> rowShows(id, "job-overdue"));
    }

    @Test
    void theTypesViewShowsEachTypesRunsSuccessAndDurations() {
        String project = "types-" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            String id = createWith(server, "{\"type\":\"export\",\"project\":\"" + project + "\",\"status\":\"running\","
                    + "\"stages\":[{\"name\":\"query\",\"weight\":1},{\"name\":\"write\",\"weight\":3}]}");
            CLOCK.advance(Duration.ofSeconds(4));
            progress(server, id, "{\"stageIndex\":1,\"current\":0,\"total\":10}");
            CLOCK.advance(Duration.ofSeconds(6));
            action(server, id, "complete", "{}");
        }
        String failing = createWith(server, "{\"type\":\"export\",\"project\":\"" + project + "\",\"status\":\"running\"}");
        CLOCK.advance(Duration.ofSeconds(2));
        action(server, failing, "fail", "{\"error\":{\"message\":\"disk full\"}}");
        await().atMost(Duration.ofSeconds(10)).until(() ->
                server.get("/api/v1/stats/types?project=" + project).body().contains("\"finished\":4"));

        driver.get(server.baseUrl() + "/?token=" + TestServer.TOKEN + "#/");
        byTestId("nav-types").click();
        byTestId("types-project").clear();
        byTestId("types-project").sendKeys(project, Keys.ENTER);
        waitFor("the export type", d -> !d.findElements(By.cssSelector("[data-type='export']")).isEmpty());
        WebElement export = driver.findElement(By.cssSelector("[data-type='export']"));
        assertThat(cell(export, "finished")).isEqualTo("4");
        assertThat(cell(export, "success")).isEqualTo("75%");
        assertThat(cell(export, "p50")).isEqualTo("10 s");
        assertThat(cell(export, "p90")).isEqualTo("10 s");
        assertThat(cell(export, "stages")).isEqualTo("query 4 s · write 6 s");
        assertThat(driver.getCurrentUrl()).endsWith("#/types?project=" + project);

        driver.get(server.baseUrl() + "/#/types?project=nothing-here");
        waitFor("the empty project's note", d -> byTestId("types-empty").isDisplayed());
        assertThat(driver.findElements(testId("type-row"))).isEmpty();
    }

    private static String cell(WebElement row, String field) {
        return row.findElement(By.cssSelector("[data-field='" + field + "']")).getText();
    }
}
