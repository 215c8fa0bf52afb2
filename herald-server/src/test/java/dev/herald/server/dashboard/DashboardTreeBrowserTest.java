package dev.herald.server.dashboard;

import dev.herald.server.support.Chromium;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.herald.server.dashboard.DashboardDom.byTestId;
import static dev.herald.server.dashboard.DashboardDom.testId;
import static dev.herald.server.dashboard.DashboardDom.waitFor;
import static dev.herald.server.support.JobsOverRest.createWith;
import static dev.herald.server.support.JobsOverRest.progress;
import static org.assertj.core.api.Assertions.assertThat;

/** The job page's children tree is virtual: a screenful of rows in the DOM, every child reachable by scrolling. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DashboardTreeBrowserTest extends DashboardServer {
    private static final int CHILDREN = 300;

    @Test
    void aParentOfManyChildrenKeepsOnlyTheRowsInSightAndReachesTheLastByScrolling() {
        String parent = createWith(server, "{\"type\":\"fan-out\",\"name\":\"Fan out\",\"status\":\"running\"}");
        List<String> children = new ArrayList<>();
        for (int i = 0; i < CHILDREN; i++) {
            children.add(createWith(server, "{\"type\":\"part\",\"name\":\"part " + i + "\",\"parentId\":\"" + parent
                    + "\",\"status\":\"running\"}"));
        }
        driver.get(server.baseUrl() + "/?token=" + TestServer.TOKEN + "#/jobs/" + parent);
        waitFor("the roll-up", d -> byTestId("job-rollup").getText().contains(CHILDREN + " running"));
        waitFor("the first child", d -> !childRows("part 0").isEmpty());
        assertThat(driver.findElements(testId("child-row"))).as("rows in the DOM").hasSizeLessThan(60);

        Chromium.js("document.getElementById('job-children-viewport').scrollTop = 1e9");
        String last = children.get(CHILDREN - 1);
        waitFor("the last child in sight", d -> !childRows("part " + (CHILDREN - 1)).isEmpty());
        assertThat(childRows("part 0")).as("the first, out of sight").isEmpty();
        // children made in the same millisecond may come in either order: the last row is the set's end
        List<WebElement> rows = driver.findElements(testId("child-row"));
        WebElement end = rows.stream()
                .max(Comparator.comparingInt(r -> Integer.parseInt(r.getDomAttribute("aria-posinset")))).orElseThrow();
        assertThat(end.getDomAttribute("aria-posinset")).isEqualTo(String.valueOf(CHILDREN));
        assertThat(row(last).getDomAttribute("aria-setsize")).isEqualTo(String.valueOf(CHILDREN));

        progress(server, last, "{\"percent\":42}");
        waitFor("the last child live", d -> "42.0%".equals(row(last).findElement(By.className("percent")).getText()));
    }

    private static List<?> childRows(String name) {
        return driver.findElements(By.xpath("//*[@data-testid='child-row']//a[text()='" + name + "']"));
    }

    private static WebElement row(String id) {
        return driver.findElement(By.cssSelector("[data-testid='child-row'][data-job-id='" + id + "']"));
    }
}
