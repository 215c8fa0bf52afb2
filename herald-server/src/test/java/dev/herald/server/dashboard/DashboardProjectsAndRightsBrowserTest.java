package dev.herald.server.dashboard;

import dev.herald.server.support.JobsOverRest;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

import static dev.herald.server.dashboard.DashboardDom.byTestId;
import static dev.herald.server.dashboard.DashboardDom.rowText;
import static dev.herald.server.dashboard.DashboardDom.rows;
import static dev.herald.server.dashboard.DashboardDom.waitFor;
import static dev.herald.server.support.JobsOverRest.action;
import static dev.herald.server.support.JobsOverRest.createWith;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's project filter (a live watch of the whole project), the job page's result and error, and a
 * token that may read but not act: its cancel is refused in words, and the job stays as it was.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DashboardProjectsAndRightsBrowserTest extends DashboardServer {
    @Test
    void theProjectFilterListsThatProjectLiveWithItsCounts() {
        String first = createWith(server, "{\"type\":\"sync\",\"project\":\"acme\",\"status\":\"running\"}");
        createWith(server, "{\"type\":\"sync\",\"project\":\"globex\"}");
        createWith(server, "{\"type\":\"sync\",\"project\":\"globex\"}");
        driver.get(server.baseUrl() + "/?token=" + TestServer.TOKEN);
        waitFor("the rows of both projects", d -> rows().size() >= 3 && "running".equals(rowText(first, "job-status")));

        byTestId("filter-project").sendKeys("acme");
        waitFor("acme's row only, and acme's counts", d -> rows().size() == 1
                && "1".equals(byTestId("count-running").getText()) && "0".equals(byTestId("count-pending").getText()));
        String late = createWith(server, "{\"type\":\"sync\",\"name\":\"late acme job\",\"project\":\"acme\"}");
        createWith(server, "{\"type\":\"sync\",\"project\":\"globex\"}");
        waitFor("acme's new job, live from the project's stream", d -> rows().size() == 2
                && "pending".equals(rowText(late, "job-status")));
        action(server, late, "start", "{}");
        waitFor("its start", d -> "running".equals(rowText(late, "job-status")));
    }

    @Test
    void theJobPageShowsTheResultOfACompletedJobAndTheErrorOfAFailedOne() {
        String done = createWith(server, "{\"type\":\"report\",\"status\":\"running\"}");
        action(server, done, "complete", "{\"result\":{\"rows\":1200,\"file\":\"out.csv\"}}");
        String failed = createWith(server, "{\"type\":\"report\",\"status\":\"running\"}");
        action(server, failed, "fail", "{\"error\":{\"code\":\"disk_full\",\"message\":\"no space left\"}}");

        driver.get(server.baseUrl() + "/?token=" + TestServer.TOKEN + "#/jobs/" + done);
        waitFor("the result", d -> byTestId("job-result").getText().contains("\"rows\": 1200"));
        assertThat(byTestId("job-result").getText()).contains("\"file\": \"out.csv\"");

        driver.get(server.baseUrl() + "/#/jobs/" + failed);
        waitFor("the error", d -> byTestId("job-fields").getText().contains("disk_full: no space left"));
        assertThat(byTestId("job-result").isDisplayed()).isFalse();
    }

    @Test
    void aReadOnlyTokenIsToldItMayNotCancelAndTheJobRuns() {
        String job = createWith(server, "{\"type\":\"import\",\"name\":\"not yours to stop\",\"status\":\"running\"}");
        HttpResponse<String> key = server.post("/api/v1/keys", "{\"project\":\"default\",\"scope\":\"read\"}");
        assertThat(key.statusCode()).as(key.body()).isEqualTo(201);
        String reader = JobsOverRest.tree(key.body()).get("token").asText();

        driver.get(server.baseUrl() + "/?token=" + reader + "#/jobs/" + job);
        waitFor("the job page", d -> "not yours to stop".equals(byTestId("job-title").getText()));
        waitFor("the cancel button", d -> byTestId("cancel-button").isDisplayed());
        byTestId("cancel-button").click();
        waitFor("the refusal", d -> byTestId("action-error").isDisplayed()
                && byTestId("action-error").getText().equals("This token may not cancel jobs."));
        assertThat(JobsOverRest.job(server, job).get("status").asText()).isEqualTo("running");
        assertThat(byTestId("job-page-status").getText()).isEqualTo("running");
    }
}
