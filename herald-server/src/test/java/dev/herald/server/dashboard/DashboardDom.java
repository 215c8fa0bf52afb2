package dev.herald.server.dashboard;

import dev.herald.server.support.Chromium;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/** The dashboard's parts as the browser tests find them in the shared Chromium, by their {@code data-testid}. */
final class DashboardDom {
    private static final Duration WAIT = Duration.ofSeconds(8);

    private DashboardDom() {
    }

    static void waitFor(String what, Function<WebDriver, Boolean> condition) {
        Chromium.waitFor(what, WAIT, DashboardDom::pageState, condition);
    }

    private static String pageState() {
        try {
            return "connection=" + byTestId("connection").getDomAttribute("data-state") + ", rows=" + rows().size()
                    + ", url=" + Chromium.driver().getCurrentUrl();
        } catch (RuntimeException e) {
            return "page state unreadable: " + e;
        }
    }

    static By testId(String id) {
        return By.cssSelector("[data-testid='" + id + "']");
    }

    static WebElement byTestId(String id) {
        return Chromium.driver().findElement(testId(id));
    }

    static List<WebElement> rows() {
        return Chromium.driver().findElements(testId("job-row"));
    }

    static WebElement row(String jobId) {
        return Chromium.driver().findElement(By.cssSelector("[data-testid='job-row'][data-job-id='" + jobId + "']"));
    }

    /** textContent, since getText() hides the text of hidden parts. */
    static String rowText(String jobId, String part) {
        return row(jobId).findElement(testId(part)).getDomProperty("textContent");
    }

    /** Shown (not hidden) on the row: a part with text but hidden reads as absent. */
    static boolean rowShows(String jobId, String part) {
        return row(jobId).findElement(testId(part)).isDisplayed();
    }
}
