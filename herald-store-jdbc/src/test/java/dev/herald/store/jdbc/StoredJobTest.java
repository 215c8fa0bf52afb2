package dev.herald.store.jdbc;

import dev.herald.core.model.ChildrenSummary;
import dev.herald.core.model.Eta;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobError;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.Progress;
import dev.herald.core.model.RawJson;
import dev.herald.core.model.Stage;
import dev.herald.testkit.TestJobs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static dev.herald.testkit.TestJobs.T0;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoredJobTest {
    private static final Job MINIMAL = new Job.Builder().id("j1").type("t").project("acme")
            .createdAt(T0).updatedAt(T0).version(1).build();

    /** Each field of a job set alone on the minimal one, so that no field is taken for another or for its default. */
    private static final Map<String, UnaryOperator<Job.Builder>> EACH_FIELD = Map.ofEntries(
            entry("no type", b -> b.type(null)),
            entry("name", b -> b.name("n")),
            entry("owner", b -> b.owner("o")),
            entry("parentId", b -> b.parentId("p")),
            entry("status", b -> b.status(JobStatus.QUEUED)),
            entry("stages", b -> b.stages(List.of(new Stage("only", 1)))),
            entry("progress percent only", b -> b.progress(Progress.NONE.withPercent(12.5))),
            entry("progress -0 percent", b -> b.progress(Progress.NONE.withPercent(-0.0))),
            entry("progress stage index 0", b -> b.progress(new Progress(null, 0, null, null, null, 0, null, null))),
            entry("progress zero current", b -> b.progress(new Progress(null, null, 0.0, null, null, 0, null, null))),
            entry("children all zero", b -> b.children(new ChildrenSummary(0, 0, 0, 0, 0, 0, 0, 0))),
            entry("eta", b -> b.eta(new Eta(0, Eta.RATE))),
            entry("eta without basis", b -> b.eta(new Eta(5, null))),
            entry("result", b -> b.result(new RawJson("{}"))),
            entry("error without message", b -> b.error(new JobError("e", null))),
            entry("error without code", b -> b.error(new JobError(null, "m"))),
            entry("attempt 0", b -> b.attempt(0)),
            entry("attempt 2", b -> b.attempt(2)),
            entry("maxAttempts 0", b -> b.maxAttempts(0)),
            entry("maxAttempts 9", b -> b.maxAttempts(9)),
            entry("completeWithChildren", b -> b.completeWithChildren(true)),
            entry("startedAt", b -> b.startedAt(T0.plusMillis(1))),
            entry("finishedAt", b -> b.finishedAt(T0.plusMillis(2))),
            entry("no updatedAt", b -> b.updatedAt(null)),
            entry("version 0", b -> b.version(0)),
            entry("huge version", b -> b.version(Long.MAX_VALUE)));

    private static Job roundTrip(Job job) {
        return row(job).job();
    }

    /** The row the store writes for the job. */
    static JobRow row(Job job) {
        return new JobRow(job.id(), job.project(), job.type(), job.status().wire(), job.parentId(), job.owner(),
                job.createdAt().toEpochMilli(), BatchWriter.millis(job.updatedAt()),
                BatchWriter.millis(job.finishedAt()), job.version(), StoredJob.encode(job));
    }

    @Test
    void keepsEveryFieldOfAJob() {
        Job job = TestJobs.everyField("acme");
        assertThat(roundTrip(job)).isEqualTo(job);
    }

    @Test
    void keepsJobsInEveryLifecycleState() {
        for (Job job : List.of(MINIMAL, TestJobs.pending("acme").build(), TestJobs.running("acme").build(),
                TestJobs.completed("acme", T0.plusSeconds(60)).build())) {
            assertThat(roundTrip(job)).isEqualTo(job);
        }
    }

    @Test
    void keepsEachFieldAloneAndEveryAbsenceAsItWas() {
        EACH_FIELD.forEach((what, change) -> {
            Job job = change.apply(MINIMAL.toBuilder()).build();
            assertThat(roundTrip(job)).as(what).isEqualTo(job);
        });
    }

    @Test
    void keepsNumbersExactlyAndTheirPercentsUnrounded() {
        Job job = MINIMAL.toBuilder()
                .stages(List.of(new Stage("a", 0.1 + 0.2), new Stage("b", 1e300), new Stage("c", Double.MIN_VALUE)))
                .progress(new Progress("b", 1, 1.0E20, 123456789012345.6, "u", 100.0 / 3, "m", null))
                .children(new ChildrenSummary(Integer.MAX_VALUE, 1, 2, 3, 4, 5, 6, 200.0 / 3))
                .eta(new Eta(Long.MAX_VALUE, Eta.HISTORY))
                .build();
        assertThat(roundTrip(job)).isEqualTo(job);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1.50", "1e400", "12345678901234567890123", "\"two\"", "\"}{\\\"\"", "true", "null",
            "[]", "[1,\"two\",{\"three\":3}]", "{\"s\":\"}]{[\",\"n\":1.50,\"u\":\"Zürich 日本 😀\\u0000\"}",
            "{ \"spaced\" : [ 1 , 2 ] }"})
    void keepsEmbeddedJsonAsTheVeryTextItWasGiven(String text) {
        Job job = MINIMAL.toBuilder().result(new RawJson(text))
                .progress(new Progress(null, null, null, null, null, 1, null, new RawJson(text))).build();
        assertThat(roundTrip(job)).isEqualTo(job);
    }

    /** A long value is parsed from a reader in chunks rather than from one array: the text must still be cut right. */
    @Test
    void keepsALargeResultAndTheFieldsAfterIt() {
        StringBuilder rows = new StringBuilder("[");
        for (int i = 0; i < 5_000; i++) {
            rows.append(i == 0 ? "" : ",").append("{\"row\":").append(i).append(",\"s\":\"}\\\"]\"}");
        }
        Job job = TestJobs.everyField("acme").toBuilder().result(new RawJson(rows.append("]").toString())).build();
        assertThat(StoredJob.encode(job).length()).isGreaterThan(100_000);
        assertThat(roundTrip(job)).isEqualTo(job);
    }

    @Test
    void keepsTextThatNeedsEscaping() {
        String hard = "line 1\nline 2\t\"quoted\" \\ \u0001 Zürich 日本 😀";
        Job job = MINIMAL.toBuilder().id(hard).type(hard).name(hard).project(hard).owner(hard).parentId(hard)
                .stages(List.of(new Stage(hard, 1)))
                .progress(new Progress(hard, null, null, null, hard, 0, hard, null))
                .eta(new Eta(1, hard)).error(new JobError(hard, hard)).build();
        assertThat(roundTrip(job)).isEqualTo(job);
    }

    /** Format 2 as it stands: changing what is written means the next format version, and reading all. */
    @Test
    void formatTwoIsPinned() {
        Job job = TestJobs.completed("acme", T0.plusSeconds(60)).id("Xy9_-abc").build();
        String stored = "{\"v\":2,\"nm\":\"Import customers.csv\","
                + "\"sg\":[[\"download\",1],[\"clustering\",3],[\"report\",1]],"
                + "\"pr\":{\"sg\":\"report\",\"ix\":2,\"cu\":100,\"to\":100,\"un\":\"files\",\"pc\":100,"
                + "\"ms\":\"done\"},"
                + "\"rs\":{\"rows\":1200,\"url\":\"s3://exports/customers.parquet\"},\"sa\":2000}";
        assertThat(StoredJob.encode(job)).isEqualTo(stored);
        assertThat(row(job).job()).isEqualTo(job);
        assertThat(StoredJob.encode(MINIMAL)).isEqualTo("{\"v\":2}");
    }

    /** Format 1, which rows written before format 2 hold, reads as it did, whatever the columns say. */
    @Test
    void formatOneIsPinned() {
        Job job = TestJobs.completed("acme", T0.plusSeconds(60)).id("Xy9_-abc").build();
        String stored = "{\"v\":1,\"id\":\"Xy9_-abc\",\"ty\":\"dataset.import\",\"nm\":\"Import customers.csv\","
                + "\"pj\":\"acme\",\"ow\":\"user-42\",\"st\":\"completed\","
                + "\"sg\":[[\"download\",1],[\"clustering\",3],[\"report\",1]],"
                + "\"pr\":{\"sg\":\"report\",\"ix\":2,\"cu\":100,\"to\":100,\"un\":\"files\",\"pc\":100,"
                + "\"ms\":\"done\"},"
                + "\"rs\":{\"rows\":1200,\"url\":\"s3://exports/customers.parquet\"},"
                + "\"ca\":1741944413589,\"sa\":1741944415589,\"fa\":1741944473589,\"ua\":1741944473589,\"ve\":12}";
        assertThat(StoredJob.encodeWhole(job)).isEqualTo(stored);
        assertThat(StoredJob.decode(stored)).isEqualTo(job);
        assertThat(new JobRow(job.id(), "other", null, "running", null, null, 0, null, null, 0, stored).job())
                .isEqualTo(job);
        assertThat(StoredJob.encodeWhole(MINIMAL)).isEqualTo("{\"v\":1,\"id\":\"j1\",\"ty\":\"t\",\"pj\":\"acme\","
                + "\"st\":\"pending\",\"ca\":1741944413589,\"ua\":1741944413589,\"ve\":1}");
    }

    @Test
    void aFinishedJobTakesWellUnderAKilobyte() {
        for (Job job : List.of(TestJobs.completed("acme", T0.plusSeconds(60)).build(), TestJobs.everyField("acme"))) {
            assertThat(StoredJob.encode(job).getBytes(StandardCharsets.UTF_8).length).isLessThan(500);
        }
    }

    @Test
    void refusesAFormatItDoesNotKnow() {
        assertThatThrownBy(() -> StoredJob.decode("{\"v\":2,\"id\":\"j1\"}")).isInstanceOf(StoreException.class)
                .hasMessageContaining("format 2").hasMessageContaining("reads formats 0 to 1");
        assertThatThrownBy(() -> StoredJob.decode(StoredJob.encodeWhole(MINIMAL).replace("\"ty\"", "\"zz\"")))
                .isInstanceOf(StoreException.class).hasMessageContaining("\"zz\"");
        JobRow row = row(MINIMAL);
        assertThatThrownBy(() -> new JobRow(row.id(), row.project(), row.type(), row.status(), null, null,
                row.createdAt(), null, null, 1, "{\"v\":3}").job()).isInstanceOf(StoreException.class)
                .hasMessageContaining("format 3").hasMessageContaining("reads formats 0 to 2");
    }
}
