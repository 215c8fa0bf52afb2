package dev.herald.core.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Small invariants of the model records. */
class ModelTest {

    @ParameterizedTest
    @ValueSource(doubles = {0, -1, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void stageWeightMustBePositiveAndFinite(double w) {
        assertThatThrownBy(() -> new Stage("s", w)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void stageNameIsRequired() {
        assertThatThrownBy(() -> new Stage(null, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Stage("", 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void jobCopiesStagesAndDefaultsProgress() {
        List<Stage> stages = new ArrayList<>(List.of(new Stage("a", 1)));
        Job job = new Job.Builder().id("j").type("t").project("p").stages(stages).progress(null)
                .createdAt(Instant.EPOCH).updatedAt(Instant.EPOCH).version(1).build();
        stages.add(new Stage("b", 1));
        assertThat(job.stages()).hasSize(1);
        assertThat(job.progress()).isEqualTo(Progress.NONE);
        assertThatThrownBy(() -> job.stages().add(new Stage("c", 1))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void builderDefaults() {
        Job job = new Job.Builder().build();
        assertThat(job.status()).isEqualTo(JobStatus.PENDING);
        assertThat(job.attempt()).isEqualTo(1);
        assertThat(job.maxAttempts()).isEqualTo(1);
        assertThat(job.stages()).isEmpty();
    }

    @Test
    void toBuilderKeepsEveryField() {
        Instant t = Instant.parse("2025-01-02T03:04:05.678Z");
        Job job = new Job("j_1", "t", "n", "p", "o", "parent", JobStatus.RUNNING, List.of(new Stage("a", 2)),
                new Progress("a", 0, 1.0, 2.0, "rows", 50, "m", new RawJson("{}")),
                new ChildrenSummary(1, 1, 0, 0, 0, 0, 0, 0), new Eta(5, 4, 9, Eta.BLEND, 3), new RawJson("1"),
                new JobError("c", "m"), 2, 3, true, t, t, t, t, 7, true, true,
                new Lease("w", "tok", t, 30_000), t);
        assertThat(job.toBuilder().build()).isEqualTo(job);
    }

    @Test
    void finishedExceptionCarriesStatus() {
        HeraldException e = HeraldException.finished(JobStatus.CANCELLED);
        assertThat(e.code()).isEqualTo(ErrorCode.JOB_FINISHED);
        assertThat(e.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(e.getMessage()).contains("cancelled");
        assertThat(ErrorCode.JOB_FINISHED.httpStatus()).isEqualTo(409);
        assertThat(ErrorCode.JOB_FINISHED.wire()).isEqualTo("job_finished");
        assertThat(ErrorCode.UNAVAILABLE.httpStatus()).isEqualTo(503);
        assertThat(ErrorCode.INVALID_PROGRESS.httpStatus()).isEqualTo(400);
        assertThat(ErrorCode.INVALID_TRANSITION.wire()).isEqualTo("invalid_transition");
        assertThat(HeraldException.notFound().code()).isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void rawJsonUtf8Length() {
        assertThat(new RawJson("{\"a\":1}").utf8Length()).isEqualTo(7);
        assertThat(new RawJson("\"é\"").utf8Length()).isEqualTo(4);
        assertThat(new RawJson("\"€\"").utf8Length()).isEqualTo(5);
        assertThat(new RawJson("\"\uD83D\uDE00\"").utf8Length()).isEqualTo(6);
        String s = "\"a\u00e9\u20ac\uD83D\uDE00\"";
        assertThat(new RawJson(s).utf8Length()).isEqualTo(s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        assertThatThrownBy(() -> new RawJson("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RawJson(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void logLevelWire() {
        for (LogLevel l : LogLevel.values()) {
            assertThat(LogLevel.fromWire(l.wire())).contains(l);
        }
        assertThat(LogLevel.INFO.wire()).isEqualTo("info");
        assertThat(LogLevel.fromWire("INFO")).isEmpty();
        assertThat(LogLevel.fromWire("trace")).isEmpty();
    }
}
