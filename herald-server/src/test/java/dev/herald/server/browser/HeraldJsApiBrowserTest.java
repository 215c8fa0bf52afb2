package dev.herald.server.browser;

import dev.herald.server.support.Chromium;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.JavascriptExecutor;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.herald.server.browser.HarnessPage.awaitState;
import static dev.herald.server.browser.HarnessPage.awaitStreams;
import static dev.herald.server.support.JobsOverRest.action;
import static dev.herald.server.support.JobsOverRest.createWith;
import static org.assertj.core.api.Assertions.assertThat;

/** The parts of herald.js's API (BROWSER.md §1–§2) the other browser tests do not use: watchProject, get, close. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HeraldJsApiBrowserTest extends HarnessServer {
    @Test
    void watchProjectDeliversTheProjectsJobsAndOnlyThose() {
        String before = createWith(server, "{\"type\":\"p\",\"project\":\"acme\",\"status\":\"running\"}");
        Chromium.driver().get(HarnessPage.url(server.baseUrl(), "token", TestServer.TOKEN));
        Chromium.js("window.projectSeen = [];"
                + " window.project = herald.watchProject('acme', (job, event) => window.projectSeen.push("
                + "{ id: event.jobId, project: job && job.project, status: job && job.status, version: event.version }));");
        awaitState("live");
        HarnessPage.await("the job made before", d -> projectSeen().stream().anyMatch(e -> before.equals(e.get("id"))));

        String later = createWith(server, "{\"type\":\"p\",\"project\":\"acme\"}");
        createWith(server, "{\"type\":\"p\",\"project\":\"globex\"}");
        action(server, later, "start", "{}");
        HarnessPage.await("the job made later, started", d -> projectSeen().stream()
                .anyMatch(e -> later.equals(e.get("id")) && "running".equals(e.get("status"))));
        assertThat(projectSeen()).allSatisfy(e -> assertThat(e.get("project")).isEqualTo("acme"));
        assertThat(Chromium.js("return [...window.project.jobs.keys()].sort()"))
                .isEqualTo(List.of(before, later).stream().sorted().toList());
    }

    @Test
    void getReadsAJobAndCloseEndsTheStream() {
        String job = createWith(server, "{\"type\":\"g\",\"name\":\"read me\",\"status\":\"running\"}");
        HarnessPage.open(server.baseUrl(), job);
        awaitState("live");
        awaitStreams(server, 1);

        @SuppressWarnings("unchecked")
        Map<String, Object> read = (Map<String, Object>) ((JavascriptExecutor) Chromium.driver()).executeAsyncScript(
                "const done = arguments[arguments.length - 1]; herald.get(arguments[0]).then(done, (e) => done({ error: e.code }))",
                job);
        assertThat(read).containsEntry("id", job).containsEntry("name", "read me").containsEntry("status", "running");
        @SuppressWarnings("unchecked")
        Map<String, Object> missing = (Map<String, Object>) ((JavascriptExecutor) Chromium.driver()).executeAsyncScript(
                "const done = arguments[arguments.length - 1]; herald.get('j_nosuchjob').then(done, (e) => done({ status: e.status, code: e.code }))");
        assertThat(missing).containsEntry("status", 404L).containsEntry("code", "not_found");

        Chromium.js("herald.close()");
        awaitState("closed");
        awaitStreams(server, 0);
        assertThat(Chromium.js("try { herald.watch(arguments[0], () => {}); return 'watched'; } catch (e) { return e.message; }", job))
                .isEqualTo("this Herald connection is closed");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> projectSeen() {
        return (List<Map<String, Object>>) Chromium.js("return window.projectSeen || []");
    }
}
