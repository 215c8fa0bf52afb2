package dev.herald.server.sdk;

import dev.herald.client.Herald;
import dev.herald.client.JobFilter;
import dev.herald.client.JobList;
import dev.herald.client.JobSpec;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLevel;
import dev.herald.core.model.LogLine;
import dev.herald.core.model.RawJson;
import dev.herald.core.model.Stage;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SDK.md §2–§3 against a real server: jobs created, read, listed, moved and logged, and the API's refusals. */
class SdkJobsTest {
    static TestServer server;
    private static Herald remote;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        remote = Herald.remote(server.baseUrl(), TestServer.TOKEN);
    }

    /** The client under test: remote here, in-process in the Local subclass. */
    Herald herald() {
        return remote;
    }

    @AfterAll
    static void stop() {
        remote.close();
        server.close();
    }

    @Test
    void aJobIsCreatedWithEverySettingOfItsSpec() {
        Job parent = herald().create(JobSpec.of("batch").project("acme"));
        Job job = herald().create(JobSpec.of("import-csv").name("Import customers.csv").project("acme")
                .stage("parsing", 20).stage("loading", 80).total(1000).unit("rows")
                .metadata(Map.of("file", "customers.csv")).parent(parent.id()).completeWithChildren(true)
                .maxAttempts(3).status(JobStatus.RUNNING));
        assertThat(job.type()).isEqualTo("import-csv");
        assertThat(job.name()).isEqualTo("Import customers.csv");
        assertThat(job.project()).isEqualTo("acme");
        assertThat(job.stages()).containsExactly(new Stage("parsing", 20), new Stage("loading", 80));
        assertThat(job.progress().total()).isEqualTo(1000.0);
        assertThat(job.progress().unit()).isEqualTo("rows");
        assertThat(job.progress().metadata()).isEqualTo(new RawJson("{\"file\":\"customers.csv\"}"));
        assertThat(job.parentId()).isEqualTo(parent.id());
        assertThat(job.completeWithChildren()).isTrue();
        assertThat(job.maxAttempts()).isEqualTo(3);
        assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(herald().get(job.id())).isEqualTo(job);
    }

    @Test
    void theSameIdempotencyKeyAnswersTheSameJob() {
        JobSpec spec = JobSpec.of("import-csv").project("keys").idempotencyKey("import-2026-12-06");
        Job first = herald().create(spec);
        assertThat(herald().create(spec).id()).isEqualTo(first.id());
        assertThat(herald().create(JobSpec.of("import-csv").project("keys")).id()).isNotEqualTo(first.id());
    }

    @Test
    void inputIsKeptForTheWorkerThatRunsTheJob() {
        Job job = herald().create(JobSpec.of("with-input").input(Map.of("path", "s3://b/a.csv")));
        assertThat(server.get("/api/v1/jobs/" + job.id() + "/input").body()).isEqualTo("{\"path\":\"s3://b/a.csv\"}");
    }

    @Test
    void listingFiltersAndPages() {
        Set<String> made = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            made.add(herald().create(JobSpec.of("listed").project("lists").status(JobStatus.RUNNING)).id());
        }
        herald().create(JobSpec.of("listed").project("lists"));
        Set<String> seen = new HashSet<>();
        JobFilter filter = JobFilter.status(JobStatus.RUNNING).type("listed").project("lists").limit(2);
        JobList page = herald().list(filter);
        assertThat(page.items()).hasSize(2);
        while (true) {
            page.items().forEach(j -> seen.add(j.id()));
            if (page.nextCursor() == null) {
                break;
            }
            page = herald().list(filter.cursor(page.nextCursor()));
        }
        assertThat(seen).isEqualTo(made);
    }

    @Test
    void eachTransitionAnswersTheNewJob() {
        Job job = herald().create(JobSpec.of("moves").maxAttempts(2));
        assertThat(herald().start(job.id()).status()).isEqualTo(JobStatus.RUNNING);
        Job failed = herald().fail(job.id(), "disk_full", "no space left");
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error().code()).isEqualTo("disk_full");
        assertThat(failed.error().message()).isEqualTo("no space left");
        Job queued = herald().retry(job.id());
        assertThat(queued.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(queued.attempt()).isEqualTo(2);
        herald().start(job.id());
        Job done = herald().complete(job.id(), Map.of("rows", 1000));
        assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(done.result()).isEqualTo(new RawJson("{\"rows\":1000}"));
        assertThat(herald().cancel(herald().create(JobSpec.of("moves")).id()).status()).isEqualTo(JobStatus.CANCELLED);
    }

    @Test
    void refusalsCarryTheApisCodeAndTheJobsStatus() {
        Job done = herald().complete(herald().create(JobSpec.of("refused").status(JobStatus.RUNNING)).id(), null);
        assertThatThrownBy(() -> herald().complete(done.id(), null)).isInstanceOfSatisfying(HeraldException.class,
                e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.JOB_FINISHED);
                    assertThat(e.status()).isEqualTo(JobStatus.COMPLETED);
                });
        assertThatThrownBy(() -> herald().get("j_00000000000000000000000000"))
                .isInstanceOfSatisfying(HeraldException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        String pending = herald().create(JobSpec.of("refused")).id();
        assertThatThrownBy(() -> herald().retry(pending)).isInstanceOfSatisfying(HeraldException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TRANSITION));
        assertThatThrownBy(() -> herald().create(JobSpec.of("refused").name("n".repeat(201))))
                .isInstanceOfSatisfying(HeraldException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FIELD);
                    assertThat(e.field()).isEqualTo("name");
                });
    }

    @Test
    void logLinesComeBackInOrderWithTheirFields() {
        String id = herald().create(JobSpec.of("logged").status(JobStatus.RUNNING)).id();
        herald().log(id, LogLevel.INFO, "first");
        herald().log(id, LogLevel.WARN, "second\nline", Map.of("row", 17));
        List<LogLine> lines = herald().logs(id, 0, 10);
        assertThat(lines).extracting(LogLine::message).containsExactly("first", "second\nline");
        assertThat(lines.get(1).level()).isEqualTo(LogLevel.WARN);
        assertThat(lines.get(1).fields()).isEqualTo(new RawJson("{\"row\":17}"));
        assertThat(herald().logs(id, lines.get(0).seq(), 10)).extracting(LogLine::message).containsExactly("second\nline");
    }

    @Test
    void badArgumentsAreRefusedBeforeAnythingIsSent() {
        assertThatThrownBy(() -> herald().get(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> herald().complete(" ", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> herald().create(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> herald().log("j_x", null, "m")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> herald().log("j_x", LogLevel.INFO, "m", List.of(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> herald().logs("j_x", -1, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JobSpec.of("t").total(-5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Herald.remote("ftp://example.com", "t")).isInstanceOf(IllegalArgumentException.class);
    }
}
