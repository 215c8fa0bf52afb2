package dev.herald.client.transport;

import dev.herald.core.command.LogEntry;
import dev.herald.core.command.NewJob;
import dev.herald.core.command.ProgressReport;
import dev.herald.core.model.JobError;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLevel;
import dev.herald.core.model.RawJson;
import dev.herald.core.model.Stage;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The bodies carry what the caller set and nothing else: the server keeps its defaults in one place. */
class RequestBodiesTest {

    @Test
    void aPlainCreateIsItsType() {
        assertThat(RequestBodies.create(NewJob.of("page", null), null)).isEqualTo("{\"type\":\"page\"}");
    }

    @Test
    void aFullCreateHasEveryField() {
        NewJob job = new NewJob("import-csv", "Import", "acme", null, "j_p",
                List.of(new Stage("parsing", 20), new Stage("loading", 80.5)), 1000.0, "rows",
                new RawJson("{\"file\":\"a.csv\"}"), true, JobStatus.RUNNING, 3, "key");
        assertThat(RequestBodies.create(job, new RawJson("{\"path\":\"s3://b/a.csv\"}"))).isEqualTo(
                "{\"type\":\"import-csv\",\"name\":\"Import\",\"project\":\"acme\",\"parentId\":\"j_p\","
                        + "\"stages\":[{\"name\":\"parsing\",\"weight\":20},{\"name\":\"loading\",\"weight\":80.5}],"
                        + "\"total\":1000,\"unit\":\"rows\",\"metadata\":{\"file\":\"a.csv\"},"
                        + "\"completeWithChildren\":true,\"status\":\"running\",\"maxAttempts\":3,"
                        + "\"input\":{\"path\":\"s3://b/a.csv\"}}");
    }

    @Test
    void progressAndBatchesCarryOnlyWhatChanged() {
        ProgressReport r = new ProgressReport(null, null, 400.0, null, null, null, "Loading", null);
        assertThat(RequestBodies.progress(r)).isEqualTo("{\"current\":400,\"message\":\"Loading\"}");
        assertThat(RequestBodies.batch(List.of(new ProgressEntry("j_1", r),
                new ProgressEntry("j_2", new ProgressReport("loading", null, 0.5, 1.0, null, null, null, null)))))
                .isEqualTo("[{\"jobId\":\"j_1\",\"current\":400,\"message\":\"Loading\"},"
                        + "{\"jobId\":\"j_2\",\"stage\":\"loading\",\"current\":0.5,\"total\":1}]");
    }

    @Test
    void logsAndTransitions() {
        assertThat(RequestBodies.log(new LogEntry(LogLevel.WARN, "two\nlines", new RawJson("{\"n\":2}"))))
                .isEqualTo("{\"level\":\"warn\",\"message\":\"two\\nlines\",\"fields\":{\"n\":2}}");
        assertThat(RequestBodies.complete(null)).isEqualTo("{}");
        assertThat(RequestBodies.complete(new RawJson("[1,2]"))).isEqualTo("{\"result\":[1,2]}");
        assertThat(RequestBodies.fail(new JobError(null, "boom"))).isEqualTo("{\"error\":{\"message\":\"boom\"}}");
        assertThat(RequestBodies.fail(new JobError("upstream_unavailable", "gone")))
                .isEqualTo("{\"error\":{\"code\":\"upstream_unavailable\",\"message\":\"gone\"}}");
    }
}
