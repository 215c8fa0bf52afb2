package dev.herald.core.rules;

import dev.herald.core.command.ProgressReport;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.Eta;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobError;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.Progress;
import dev.herald.core.model.RawJson;
import dev.herald.core.model.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class TransitionsTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00.000Z");
    private static final Instant T1 = T0.plusSeconds(1);
    private static final Instant T2 = T0.plusSeconds(2);
    private static final Instant T3 = T0.plusSeconds(3);
    private static final Progress HALF = new Progress("b", 1, 5.0, 10.0, "rows", 62.5, "working", null);

    private static Job job(JobStatus status) {
        return new Job.Builder().id("j_t").type("t").project("p").status(status)
                .stages(List.of(new Stage("a", 1), new Stage("b", 3)))
                .progress(status == JobStatus.RUNNING ? HALF : Progress.NONE)
                .eta(status == JobStatus.RUNNING ? new Eta(1000, Eta.RATE) : null)
                .startedAt(status == JobStatus.RUNNING ? T0 : null)
                .createdAt(T0).updatedAt(T0).version(10).build();
    }

    private static HeraldException refusal(Executable change) {
        HeraldException e = catchThrowableOfType(HeraldException.class, change::execute);
        assertThat(e).as("expected a HeraldException").isNotNull();
        return e;
    }

    @Test
    void startSetsStartedAtOnce() {
        Job started = Transitions.start(job(JobStatus.PENDING), T1);
        assertThat(started.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(started.startedAt()).isEqualTo(T1);
        assertThat(started.updatedAt()).isEqualTo(T1);
        assertThat(started.version()).isEqualTo(11);

        Job requeued = Transitions.retry(started, T2);
        Job restarted = Transitions.start(requeued, T3);
        assertThat(restarted.startedAt()).isEqualTo(T1);
        assertThat(restarted.updatedAt()).isEqualTo(T3);
    }

    @Test
    void startFromQueued() {
        Job started = Transitions.start(job(JobStatus.QUEUED), T1);
        assertThat(started.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(started.startedAt()).isEqualTo(T1);
    }

    @Test
    void startingARunningJobIsAnInvalidTransition() {
        HeraldException e = refusal(() -> Transitions.start(job(JobStatus.RUNNING), T1));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TRANSITION);
        assertThat(e.status()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void completeSetsResultFinishedAtPercentAndClearsEta() {
        RawJson result = new RawJson("{\"rows\":1000}");
        Job running = job(JobStatus.RUNNING);
        Job done = Transitions.complete(running, result, T1);
        assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(done.result()).isEqualTo(result);
        assertThat(done.finishedAt()).isEqualTo(T1);
        assertThat(done.updatedAt()).isEqualTo(T1);
        assertThat(done.progress().percent()).isEqualTo(100.0);
        assertThat(done.progress().stage()).isEqualTo("b");
        assertThat(done.progress().message()).isEqualTo("working");
        assertThat(done.eta()).isNull();
        assertThat(done.version()).isEqualTo(running.version() + 1);
        assertThat(done.startedAt()).isEqualTo(T0);
    }

    @Test
    void completeWithoutResult() {
        Job done = Transitions.complete(job(JobStatus.RUNNING), null, T1);
        assertThat(done.result()).isNull();
        assertThat(done.progress().percent()).isEqualTo(100.0);
    }

    @Test
    void completingAPendingJobIsAnInvalidTransition() {
        HeraldException e = refusal(() -> Transitions.complete(job(JobStatus.PENDING), null, T1));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TRANSITION);
        assertThat(e.status()).isEqualTo(JobStatus.PENDING);
    }

    @ParameterizedTest
    @EnumSource(value = JobStatus.class, names = {"PENDING", "QUEUED", "RUNNING"})
    void failSetsError(JobStatus from) {
        JobError error = new JobError("E42", "disk full");
        Job failed = Transitions.fail(job(from), error, T1);
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error()).isEqualTo(error);
        assertThat(failed.finishedAt()).isEqualTo(T1);
        assertThat(failed.eta()).isNull();
        assertThat(failed.version()).isEqualTo(11);
    }

    @ParameterizedTest
    @EnumSource(value = JobStatus.class, names = {"PENDING", "QUEUED", "RUNNING"})
    void cancel(JobStatus from) {
        Job cancelled = Transitions.cancel(job(from), T1);
        assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(cancelled.finishedAt()).isEqualTo(T1);
        assertThat(cancelled.eta()).isNull();
        assertThat(cancelled.version()).isEqualTo(11);
    }

    @ParameterizedTest
    @EnumSource(value = JobStatus.class, names = {"PENDING", "QUEUED", "RUNNING"})
    void aProgressReportStartsAWaitingJobAndKeepsARunningOneRunning(JobStatus from) {
        Job job = job(from);
        ProgressReport report = ProgressReport.of(8, 10);
        Job next = Transitions.progress(job, report, T1);
        assertThat(next.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(next.startedAt()).isEqualTo(from == JobStatus.RUNNING ? T0 : T1);
        assertThat(next.updatedAt()).isEqualTo(T1);
        assertThat(next.version()).isEqualTo(job.version() + 1);
        assertThat(next.progress()).isEqualTo(ProgressRules.apply(job, report));
    }

    @Test
    void aFinishedJobRefusesProgressBeforeTheReportIsChecked() {
        Job done = Transitions.complete(job(JobStatus.RUNNING), null, T1);
        ProgressReport invalid = new ProgressReport(null, null, null, null, null, 250.0, null, null);
        assertThat(refusal(() -> Transitions.progress(done, invalid, T2)).code())
                .isEqualTo(ErrorCode.JOB_FINISHED);
    }

    static Stream<Arguments> changesOfTerminalJobs() {
        List<Arguments> out = new ArrayList<>();
        List<Object[]> ops = List.of(
                new Object[]{"start", (Function<Job, Job>) j -> Transitions.start(j, T1)},
                new Object[]{"complete", (Function<Job, Job>) j -> Transitions.complete(j, null, T1)},
                new Object[]{"fail", (Function<Job, Job>) j -> Transitions.fail(j, new JobError(null, "x"), T1)},
                new Object[]{"cancel", (Function<Job, Job>) j -> Transitions.cancel(j, T1)},
                new Object[]{"retry", (Function<Job, Job>) j -> Transitions.retry(j, T1)},
                new Object[]{"progress", (Function<Job, Job>) j -> Transitions.progress(j, ProgressReport.of(1, 2), T1)},
                new Object[]{"move to queued", (Function<Job, Job>) j -> Transitions.move(j, JobStatus.QUEUED, T1).build()},
                new Object[]{"move to running", (Function<Job, Job>) j -> Transitions.move(j, JobStatus.RUNNING, T1).build()});
        for (JobStatus s : new JobStatus[]{JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED}) {
            for (Object[] op : ops) {
                out.add(Arguments.of(s, op[0], op[1]));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{1} on a {0} job")
    @MethodSource("changesOfTerminalJobs")
    void anyChangeOfATerminalJobIsJobFinished(JobStatus status, String what, Function<Job, Job> change) {
        // a failed job with attempts left may be retried; this one has none (maxAttempts 1)
        Job terminal = job(status).toBuilder().finishedAt(T0).build();
        HeraldException e = refusal(() -> change.apply(terminal));
        assertThat(e.code()).isEqualTo(ErrorCode.JOB_FINISHED);
        assertThat(e.status()).isEqualTo(status);
    }

    static Stream<Arguments> disallowed() {
        List<Arguments> out = new ArrayList<>();
        for (JobStatus from : new JobStatus[]{JobStatus.PENDING, JobStatus.QUEUED, JobStatus.RUNNING}) {
            for (JobStatus to : JobStatus.values()) {
                if (!from.canMoveTo(to)) {
                    out.add(Arguments.of(from, to));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("disallowed")
    void disallowedMoveIsInvalidTransition(JobStatus from, JobStatus to) {
        HeraldException e = refusal(() -> Transitions.move(job(from), to, T1));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TRANSITION);
        assertThat(e.status()).isEqualTo(from);
    }

    @Test
    void retryFromRunningRequeuesWithTheNextAttemptAndFreshProgress() {
        Job running = job(JobStatus.RUNNING);
        Job retried = Transitions.retry(running, T1);
        assertThat(retried.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(retried.attempt()).isEqualTo(2);
        assertThat(retried.progress()).isEqualTo(Progress.NONE);
        assertThat(retried.progress().percent()).isZero();
        assertThat(retried.eta()).isNull();
        assertThat(retried.finishedAt()).isNull();
        assertThat(retried.version()).isEqualTo(running.version() + 1);
        assertThat(retried.updatedAt()).isEqualTo(T1);
    }

    @Test
    void retryFromFailedWhileAttemptsRemain() {
        Job failed = Transitions.fail(job(JobStatus.RUNNING).toBuilder().maxAttempts(3).build(),
                new JobError("E", "boom"), T1);
        Job retried = Transitions.retry(failed, T2);
        assertThat(retried.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(retried.attempt()).isEqualTo(2);
        assertThat(retried.error()).isNull();
        assertThat(retried.finishedAt()).isNull();
        assertThat(retried.progress()).isEqualTo(Progress.NONE);
        assertThat(retried.eta()).isNull();
        assertThat(retried.version()).isEqualTo(failed.version() + 1);

        Job again = Transitions.fail(Transitions.start(retried, T2), new JobError("E", "boom"), T3);
        Job third = Transitions.retry(again, T3);
        assertThat(third.attempt()).isEqualTo(3);
        Job last = Transitions.fail(Transitions.start(third, T3), new JobError("E", "boom"), T3);
        HeraldException e = refusal(() -> Transitions.retry(last, T3));
        assertThat(e.code()).isEqualTo(ErrorCode.JOB_FINISHED);
        assertThat(e.status()).isEqualTo(JobStatus.FAILED);
    }

    @Test
    void retryFromFailedWithoutAttemptsLeftIsJobFinished() {
        Job failed = Transitions.fail(job(JobStatus.RUNNING), new JobError(null, "boom"), T1);
        assertThat(failed.attempt()).isEqualTo(failed.maxAttempts());
        HeraldException e = refusal(() -> Transitions.retry(failed, T2));
        assertThat(e.code()).isEqualTo(ErrorCode.JOB_FINISHED);
        assertThat(e.status()).isEqualTo(JobStatus.FAILED);
    }

    @Test
    void retryFromRunningIsAllowedEvenPastMaxAttempts() {
        // API §1: running→queued is a transition of the table; the policy only gates retrying a failed job
        Job running = job(JobStatus.RUNNING);
        assertThat(Transitions.retry(running, T1).attempt()).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(value = JobStatus.class, names = {"PENDING", "QUEUED"})
    void retryOfAJobThatNeverRanIsRefused(JobStatus waiting) {
        // API §2: retry is running→queued, or failed→queued; a waiting job has no attempt to retry
        HeraldException e = refusal(() -> Transitions.retry(job(waiting), T1));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TRANSITION);
        assertThat(e.status()).isEqualTo(waiting);
    }

    @Test
    void versionIncreasesByOneOnEveryChange() {
        Job j = job(JobStatus.PENDING).toBuilder().maxAttempts(2).build();
        long v = j.version();
        j = Transitions.move(j, JobStatus.QUEUED, T1).build();
        assertThat(j.version()).isEqualTo(++v);
        j = Transitions.start(j, T1);
        assertThat(j.version()).isEqualTo(++v);
        j = Transitions.retry(j, T1);
        assertThat(j.version()).isEqualTo(++v);
        j = Transitions.start(j, T1);
        assertThat(j.version()).isEqualTo(++v);
        j = Transitions.fail(j, new JobError(null, "x"), T1);
        assertThat(j.version()).isEqualTo(++v);
        assertThat(j.attempt()).isEqualTo(2);
        Job failed = j;
        assertThat(refusal(() -> Transitions.retry(failed, T1)).code()).isEqualTo(ErrorCode.JOB_FINISHED);
    }

    @Test
    void transitionsDoNotChangeTheInput() {
        Job running = job(JobStatus.RUNNING);
        Job copy = running.toBuilder().build();
        Transitions.complete(running, new RawJson("1"), T1);
        Transitions.retry(running, T1);
        assertThat(running).isEqualTo(copy);
    }
}
