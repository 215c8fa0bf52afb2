package dev.herald.examples;

import dev.herald.client.Herald;
import dev.herald.client.JobFilter;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.server.HeraldServer;
import dev.herald.server.ServerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Every example's main against a real server on a free port, as {@code ./herald demo} would run them. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ExamplesTest {
    private static final String TOKEN = "examples-admin-token";

    @TempDir
    static Path dir;
    static HeraldServer server;
    static Herald herald;

    /** An example's main. */
    interface Main {
        void run(String[] args) throws Exception;
    }

    @BeforeAll
    static void start() {
        server = HeraldServer.start(ServerOptions.defaults().withPort(0).withDataDir(dir).withAdminToken(TOKEN));
        herald = Herald.remote(server.baseUrl(), TOKEN);
    }

    @AfterAll
    static void stop() {
        herald.close();
        server.close();
    }

    /** Runs {@code main} with the server's URL and token; what it printed. */
    private static synchronized String run(Main main, String... more) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            String[] args = new String[2 + more.length];
            args[0] = server.baseUrl();
            args[1] = TOKEN;
            System.arraycopy(more, 0, args, 2, more.length);
            main.run(args);
        } finally {
            System.setOut(original);
        }
        return printed.toString(StandardCharsets.UTF_8);
    }

    private static Job only(String type) {
        return only(JobFilter.all().type(type));
    }

    private static Job only(JobFilter filter) {
        List<Job> jobs = herald.list(filter).items();
        assertThat(jobs).hasSize(1);
        return jobs.get(0);
    }

    @Test
    void theCsvImportCompletesWithEveryRow() throws Exception {
        assertThat(run(CsvImport::main)).contains("imported " + CsvImport.ROWS + " rows");
        Job job = only(JobFilter.status(JobStatus.COMPLETED).type("import-csv"));
        assertThat(job.progress().stage()).isEqualTo("loading");
        assertThat(job.progress().current()).isEqualTo(CsvImport.ROWS);
        assertThat(job.result().text()).isEqualTo("{\"rows\":" + CsvImport.ROWS + "}");
    }

    @Test
    void theCsvImportStopsAtTheFirstRowAfterACancel() throws Exception {
        int cancelAt = 100;
        AtomicInteger loaded = new AtomicInteger();
        String printed = run(args -> CsvImport.importCsv(herald, CsvImport.customersCsv(), (job, row) -> {
            if (loaded.incrementAndGet() == cancelAt) {
                herald.cancel(job.jobId());
                // a write after the cancel: its 409 job_finished tells the reporter (else its next heartbeat would)
                job.info("cancelled at row " + cancelAt);
                await().atMost(Duration.ofSeconds(30)).until(job::isCancelled);
            }
        }));
        assertThat(printed).contains("the import was cancelled; nothing more is loaded").doesNotContain("imported");
        assertThat(loaded).hasValue(cancelAt);
        assertThat(only(JobFilter.status(JobStatus.CANCELLED).type("import-csv")).finishedAt()).isNotNull();
    }

    @Test
    void theParentCompletesWithItsFiftyChildren() throws Exception {
        String summary = "0 pending, 0 running, " + ParentWithChildren.CHILDREN + " completed, 0 failed";
        assertThat(run(ParentWithChildren::main)).contains("parent completed: " + summary);
        Job parent = only("render-album");
        assertThat(parent.children().completed()).isEqualTo(ParentWithChildren.CHILDREN);
        assertThat(herald.list(JobFilter.all().parentId(parent.id()).limit(100)).items())
                .hasSize(ParentWithChildren.CHILDREN).allMatch(c -> c.status() == JobStatus.COMPLETED);
    }

    @Test
    void theCrawlRunsItsPagesOnWorkersInTwoJvms() throws Exception {
        assertThat(run(Crawl::main)).contains("crawl completed: " + Crawl.PAGES + " pages by 2 JVMs");
        Job crawl = only("crawl");
        assertThat(crawl.children().completed()).isEqualTo(Crawl.PAGES);
        assertThat(herald.list(JobFilter.all().parentId(crawl.id()).limit(Crawl.PAGES)).items())
                .hasSize(Crawl.PAGES).allMatch(page -> page.status() == JobStatus.COMPLETED);
    }

    @Test
    void thePollerFollowsTheFakeUpstreamToTheEnd() throws Exception {
        String printed = run(ImageGenerationPoller::main);
        assertThat(printed).contains("poller finished: completed {\"frames\":24}");
        Job job = only("generate-image");
        assertThat(job.progress().stage()).isEqualTo("generation");
        assertThat(job.progress().percent()).isEqualTo(100);
    }

    @Test
    void theWatchPrintsTheTreeToItsEnd() throws Exception {
        String printed = run(WatchTree::main);
        assertThat(printed).contains("100.0%  completed  children: 0 pending, 0 running, 3 completed, 0 failed")
                .contains("the tree ended: completed");
    }
}
