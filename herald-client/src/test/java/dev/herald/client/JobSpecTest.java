package dev.herald.client;

import dev.herald.core.command.NewJob;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.RawJson;
import dev.herald.core.model.Stage;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Specs are immutable templates; what they send; what they refuse at the call. */
class JobSpecTest {
    record Import(String file, int rows) {
    }

    @Test
    void everySettingReachesTheCreateCommand() {
        NewJob job = JobSpec.of("import-csv").name("Import customers.csv").project("acme")
                .stage("parsing", 20).stage("loading", 80).total(1000).unit("rows")
                .metadata(Map.of("file", "customers.csv")).parent("j_parent").completeWithChildren(true)
                .maxAttempts(3).status(JobStatus.RUNNING).idempotencyKey("import-2026-12-06").toNewJob();
        assertThat(job).isEqualTo(new NewJob("import-csv", "Import customers.csv", "acme", null, "j_parent",
                List.of(new Stage("parsing", 20), new Stage("loading", 80)), 1000.0, "rows",
                new RawJson("{\"file\":\"customers.csv\"}"), true, JobStatus.RUNNING, 3, "import-2026-12-06"));
    }

    @Test
    void aSpecIsATemplateEachCallMakesANewOne() {
        JobSpec page = JobSpec.of("page");
        JobSpec named = page.name("page 1");
        assertThat(page.toNewJob().name()).isNull();
        assertThat(named.toNewJob().name()).isEqualTo("page 1");
    }

    @Test
    void withoutAKeyEachCreateGetsOneOfItsOwn() {
        JobSpec spec = JobSpec.of("page");
        String first = spec.toNewJob().idempotencyKey();
        assertThat(first).startsWith("sdk-");
        assertThat(spec.toNewJob().idempotencyKey()).isNotEqualTo(first);
    }

    @Test
    void inputIsAnyObjectWrittenAsJson() {
        assertThat(JobSpec.of("import").input(new Import("a.csv", 3)).input())
                .isEqualTo(new RawJson("{\"file\":\"a.csv\",\"rows\":3}"));
        assertThat(JobSpec.of("import").input()).isNull();
    }

    @Test
    void badValuesAreRefusedAtTheCall() {
        assertThatThrownBy(() -> JobSpec.of(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JobSpec.of(" ")).isInstanceOf(IllegalArgumentException.class);
        JobSpec spec = JobSpec.of("t").stage("a", 1);
        assertThatThrownBy(() -> spec.stage("a", 2)).hasMessageContaining("already has a stage 'a'");
        assertThatThrownBy(() -> spec.stage("b", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> spec.total(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> spec.total(Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> spec.maxAttempts(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> spec.maxAttempts(101)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> spec.status(JobStatus.COMPLETED)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> spec.metadata(List.of(1, 2))).hasMessageContaining("must be a JSON object");
        assertThatThrownBy(() -> spec.metadata(new Object())).hasMessageContaining("cannot be written as JSON");
        assertThatThrownBy(() -> spec.parent(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFilterRefusesALimitTheServerWouldRefuse() {
        assertThat(JobFilter.status(JobStatus.RUNNING).type("import-csv").limit(50).query().limit()).isEqualTo(50);
        assertThatThrownBy(() -> JobFilter.all().limit(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JobFilter.all().limit(501)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JobFilter.status(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
