package dev.herald.cli;

import dev.herald.client.Herald;
import dev.herald.client.JobFilter;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.server.HeraldServer;
import dev.herald.server.ServerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo goes on producing work: on a real server, through its in-process client as {@code herald demo} runs it,
 * read over HTTP as the dashboard reads it, with demo time 50 times faster than real time.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LivingDemoTest {
    @TempDir
    Path dir;

    private static List<Job> jobs(Herald herald, String type) {
        return herald.list(JobFilter.all().type(type).limit(500)).items();
    }

    @Test
    void newTreesKeepComingWithALongImportAndAFailureThatIsRetried() {
        try (HeraldServer server = HeraldServer.start(ServerOptions.defaults().withPort(0).withDataDir(dir).withDev(true));
             Herald herald = Herald.remote(server.baseUrl(), server.adminToken());
             Herald inProcess = server.client();
             LivingDemo demo = new LivingDemo(inProcess, new DemoWork(new PrintWriter(new StringWriter()),
                     DemoPace.faster(50)), 3).start()) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                List<Job> batches = jobs(herald, "batch");
                assertThat(batches).as("trees made so far").hasSizeGreaterThanOrEqualTo(4);
                assertThat(batches).as("a tree that finished with its children")
                        .anyMatch(b -> b.status() == JobStatus.COMPLETED && b.children().completed() == 3);
                assertThat(jobs(herald, "sync")).as("a job that failed once and completed on its retry")
                        .anyMatch(s -> s.status() == JobStatus.COMPLETED && s.attempt() == 2);
                assertThat(jobs(herald, "import-csv")).as("the long import, in one of its stages")
                        .anyMatch(i -> i.status() == JobStatus.RUNNING && i.progress().stage() != null);
            });
            int made = demo.trees();
            await().atMost(Duration.ofSeconds(60)).until(() -> jobs(herald, "batch").size() > made);
        }
    }
}
