package dev.herald.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.client.Herald;
import dev.herald.client.JobSpec;
import dev.herald.client.Reporter;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLevel;
import dev.herald.json.JobJson;
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
    static Herald api;

    @BeforeAll
    static void start() {
        server = HeraldServer.start(ServerOptions.defaults().withPort(0).withDataDir(dir).withDev(true));
        api = Herald.remote(server.baseUrl(), server.adminToken());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            api.close();
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
        return api.create(JobSpec.of("cli-test").name(name).total(10).unit("items")).id();
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
        try (Reporter r = api.reporter(id)) {
            r.progress(4).message("four");
            r.log(LogLevel.WARN, "a warning", Map.of("row", 7));
            r.progress(8).message("eight");
            r.complete(Map.of("rows", 10));
        }
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
        api.fail(failing, "boom", "it broke");
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
        assertThat(bad.exit()).as("a bad option value is a usage error").isEqualTo(2);
        assertThat(bad.err()).contains("--status must be pending, queued, running, completed, failed or cancelled");

        Run show = herald("jobs", "show", id);
        assertThat(show.exit()).isZero();
        JsonNode job = JobJson.mapper().readTree(show.out());
        assertThat(job.path("id").asText()).isEqualTo(id);
        assertThat(show.out()).contains("\n  \"name\" : \"Listed job\"");
    }

    @Test
    void keysAreCreatedListedAndRevoked() {
        Run created = herald("keys", "create", "--project", "acme", "--scope", "write", "--name", "cli-key");
        assertThat(created.exit()).as(created.err()).isZero();
        String id = created.out().lines().findFirst().orElseThrow().split(" ")[1];
        assertThat(created.out()).contains("created (write on acme)").contains("token (shown once, store it now): ");

        Run list = herald("keys", "list");
        assertThat(list.out().lines()).anyMatch(l -> l.startsWith(id) && l.contains("cli-key") && l.endsWith("active"));

        assertThat(herald("keys", "revoke", id).out()).contains("key " + id + " revoked");
        Run again = herald("keys", "revoke", id);
        assertThat(again.exit()).isEqualTo(4);
        assertThat(again.err()).contains("no such active key: " + id);
        assertThat(herald("keys", "create", "--project", "acme", "--scope", "owner").exit()).isEqualTo(2);
    }

    @Test
    void theDemoScenarioRunsThroughTheInProcessClientAndIsSeenOverHttp() throws Exception {
        StringWriter out = new StringWriter();
        DemoScenario.Jobs jobs;
        CompletableFuture<Job> parentSeen;
        try (Herald inProcess = server.client()) {
            // 20x faster than the real demo: about 3 s
            DemoScenario scenario = new DemoScenario(inProcess,
                    new DemoWork(new PrintWriter(out, true), DemoPace.faster(20)));
            jobs = scenario.create();
            // an event stream over HTTP, as the dashboard follows the demo
            parentSeen = api.whenFinished(jobs.parentId());
            scenario.run(jobs);
        }
        assertThat(out.toString()).contains("'Import customers.csv' completed", "'Crawl docs.example.com' completed",
                "'Rebuild search index' failed");
        Job imported = api.get(jobs.importId());
        assertThat(imported.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(JobJson.mapper().readTree(imported.result().text()).path("imported").asInt())
                .isEqualTo(DemoScenario.ROWS - 2);
        assertThat(api.get(jobs.failingId()).error().code()).isEqualTo("index_locked");
        assertThat(api.logs(jobs.importId(), 0, 100)).hasSizeGreaterThanOrEqualTo(5);
        assertThat(api.get(jobs.parentId()).completeWithChildren()).isTrue();
        // the parents finish by themselves once their last child has
        assertThat(parentSeen.get(10, TimeUnit.SECONDS).status()).isEqualTo(JobStatus.COMPLETED);
        Job thumbnails = api.get(jobs.thumbnailsId());
        assertThat(thumbnails.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(thumbnails.children().text())
                .isEqualTo("0 pending, 0 running, " + DemoScenario.THUMBNAILS + " completed, 0 failed");
    }
}
