package dev.herald.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.HeraldServer;
import dev.herald.server.ServerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The remote commands against a real server (dev mode, any free port). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CliAgainstServerTest {
    @TempDir
    static Path dir;

    static HeraldServer server;
    static ApiClient api;

    @BeforeAll
    static void start() {
        server = HeraldServer.start(ServerOptions.defaults().withPort(0).withDataDir(dir).withDev(true));
        api = new ApiClient(server.baseUrl(), server.adminToken());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    record Run(int exit, String out, String err) {
    }

    /** Runs the command line with {@code --url} and the admin token from the environment. */
    private static Run herald(String... args) {
        return herald(new StringWriter(), args);
    }

    private static Run herald(StringWriter out, String... args) {
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--url";
        all[args.length + 1] = server.baseUrl();
        int exit = HeraldCli.execute(all, Map.of("HERALD_TOKEN", server.adminToken()),
                new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    private static String create(String name) {
        return api.post("/jobs", ApiClient.obj("type", "cli-test", "name", name, "total", 10, "unit", "items"))
                .path("id").asText();
    }

    /** Starts {@code herald watch} on a pending job; returns once it is connected, i.e. has printed the snapshot. */
    private static CompletableFuture<Run> watchConnected(String id) {
        StringWriter live = new StringWriter();
        CompletableFuture<Run> watch = CompletableFuture.supplyAsync(() -> herald(live, "watch", id));
        await().atMost(Duration.ofSeconds(10)).until(() -> live.toString().contains("0.0%  pending"));
        return watch;
    }

    @Test
    void watchFollowsAJobToItsEndWithLogsAndExitsZero() throws Exception {
        String id = create("Watched");
        CompletableFuture<Run> watch = watchConnected(id);
        api.post(ApiClient.jobPath(id, "/progress"), ApiClient.obj("current", 4, "message", "four"));
        api.post(ApiClient.jobPath(id, "/logs"), ApiClient.obj("level", "warn", "message", "a warning", "fields", ApiClient.obj("row", 7)));
        api.post(ApiClient.jobPath(id, "/progress"), ApiClient.obj("current", 8, "message", "eight"));
        api.post(ApiClient.jobPath(id, "/complete"), ApiClient.obj("result", ApiClient.obj("rows", 10)));
        Run r = watch.get(20, TimeUnit.SECONDS);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("WARN  a warning row=7")
                .contains("Job completed. {\"rows\":10}")
                .contains("100.0%  completed");
        // not a terminal: no control characters
        assertThat(r.out()).doesNotContain("\r", "\033");
    }

    @Test
    void watchExitsOneOnFailureAndThreeOnCancel() throws Exception {
        String failing = create("Failing");
        api.post(ApiClient.jobPath(failing, "/fail"), ApiClient.obj("error", ApiClient.obj("code", "boom", "message", "it broke")));
        Run failed = herald("watch", failing);
        assertThat(failed.exit()).isEqualTo(1);
        assertThat(failed.err()).contains("Job failed (boom): it broke");

        String cancelled = create("Cancelled");
        CompletableFuture<Run> watch = watchConnected(cancelled); // cancelled while watched, not before
        Run cancel = herald("jobs", "cancel", cancelled);
        assertThat(cancel.exit()).isZero();
        assertThat(cancel.out().trim()).isEqualTo("cancelled");
        assertThat(watch.get(20, TimeUnit.SECONDS).exit()).isEqualTo(3);

        Run again = herald("jobs", "cancel", cancelled);
        assertThat(again.exit()).isEqualTo(5);
        assertThat(again.err()).startsWith("herald: ").doesNotContain("Exception");
    }

    @Test
    void unknownJobsAndBadTokensExitFour() {
        Run missing = herald("watch", "j_doesnotexist");
        assertThat(missing.exit()).isEqualTo(4);
        assertThat(missing.err()).contains("no such job (or not readable with this token)");

        StringWriter err = new StringWriter();
        int exit = HeraldCli.execute(new String[]{"watch", "j_x", "--url", server.baseUrl(), "--token", "wrong"}, Map.of(),
                new PrintWriter(new StringWriter()), new PrintWriter(err, true));
        assertThat(exit).isEqualTo(4);
        assertThat(err.toString()).contains("token refused");

        assertThat(herald("jobs", "show", "j_doesnotexist").exit()).isEqualTo(4);
    }

    @Test
    void jobsListAndShow() throws Exception {
        String id = create("Listed job");
        Run list = herald("jobs", "list", "--type", "cli-test", "--limit", "500");
        assertThat(list.exit()).as(list.err()).isZero();
        List<String> lines = list.out().lines().toList();
        assertThat(lines.get(0)).matches("ID +TYPE +STATUS +PERCENT +NAME");
        assertThat(lines).anyMatch(l -> l.startsWith(id) && l.contains("cli-test") && l.endsWith("Listed job"));

        Run bad = herald("jobs", "list", "--status", "bogus");
        assertThat(bad.exit()).isEqualTo(5);
        assertThat(bad.err()).startsWith("herald: ");

        Run show = herald("jobs", "show", id);
        assertThat(show.exit()).isZero();
        JsonNode job = ApiClient.JSON.readTree(show.out());
        assertThat(job.path("id").asText()).isEqualTo(id);
        assertThat(show.out()).contains("\n  \"name\" : \"Listed job\"");
    }

    @Test
    void theDemoScenarioRunsThroughTheApi() throws Exception {
        StringWriter out = new StringWriter();
        // 20x faster than the real demo: about 3 s
        DemoScenario scenario = new DemoScenario(api, new PrintWriter(out, true), 10);
        DemoScenario.Jobs jobs = scenario.create();
        scenario.run(jobs);
        assertThat(out.toString()).contains("'Import customers.csv' completed", "'Crawl docs.example.com' completed",
                "'Rebuild search index' failed");
        assertThat(api.get(ApiClient.jobPath(jobs.importId(), "")).path("status").asText()).isEqualTo("completed");
        assertThat(api.get(ApiClient.jobPath(jobs.importId(), "")).path("result").path("imported").asInt()).isEqualTo(DemoScenario.ROWS - 2);
        assertThat(api.get(ApiClient.jobPath(jobs.failingId(), "")).path("error").path("code").asText()).isEqualTo("index_locked");
        assertThat(api.get(ApiClient.jobPath(jobs.importId(), "/logs")).path("items").size()).isGreaterThanOrEqualTo(5);
        assertThat(api.get(ApiClient.jobPath(jobs.parentId(), "")).path("completeWithChildren").asBoolean()).isTrue();
        // the parents finish by themselves once their last child has
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode thumbnails = api.get(ApiClient.jobPath(jobs.thumbnailsId(), ""));
            assertThat(thumbnails.path("status").asText()).isEqualTo("completed");
            assertThat(thumbnails.at("/children/text").asText())
                    .isEqualTo("0 pending, 0 running, " + DemoScenario.THUMBNAILS + " completed, 0 failed");
            assertThat(api.get(ApiClient.jobPath(jobs.parentId(), "")).path("status").asText()).isEqualTo("completed");
        });
    }
}
