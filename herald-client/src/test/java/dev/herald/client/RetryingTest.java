package dev.herald.client;

import dev.herald.client.transport.RetryableException;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Retries with a recorded (not real) sleep: what is tried again, how long it waits, and when it gives up. */
class RetryingTest {
    private final List<Duration> slept = new ArrayList<>();
    private final Retrying retrying = new Retrying(3, new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5),
            0.5, () -> 0), slept::add);

    private static RetryableException lost() {
        return new RetryableException(ErrorCode.UNAVAILABLE, "cannot reach the server", null);
    }

    /** Throws the given failures in turn, then answers {@code answer}. */
    private static <T> Supplier<T> failing(T answer, RuntimeException... failures) {
        AtomicInteger calls = new AtomicInteger();
        return () -> {
            int n = calls.getAndIncrement();
            if (n < failures.length) {
                throw failures[n];
            }
            return answer;
        };
    }

    @Test
    void aFailureThatMayPassIsTriedAgainWithGrowingWaits() {
        assertThat(retrying.call(failing("ok", lost(), lost(), lost()))).isEqualTo("ok");
        assertThat(slept).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void retryAfterIsWaitedAtLeast() {
        RetryableException limited = new RetryableException(ErrorCode.RATE_LIMITED, "slow down", Duration.ofSeconds(2));
        assertThat(retrying.call(failing("ok", limited))).isEqualTo("ok");
        assertThat(slept).containsExactly(Duration.ofSeconds(2));
    }

    @Test
    void afterMaxRetriesTheLastFailureIsTheCallersWithItsCode() {
        RetryableException last = new RetryableException(ErrorCode.UNAVAILABLE, "still down", null);
        assertThatThrownBy(() -> retrying.call(failing("never", lost(), lost(), lost(), last))).isSameAs(last);
        assertThat(slept).hasSize(3);
    }

    @Test
    void aRefusalIsNotTriedAgain() {
        HeraldException notFound = HeraldException.notFound();
        assertThatThrownBy(() -> retrying.call(failing("never", notFound))).isSameAs(notFound);
        assertThat(slept).isEmpty();
    }

    @Test
    void aTransitionRetriedAfterALostAnswerThatFindsItsTargetIsDone() {
        Job completed = new Job.Builder().id("j_1").status(JobStatus.COMPLETED).build();
        Job answer = retrying.transition(JobStatus.COMPLETED,
                failing(null, lost(), HeraldException.finished(JobStatus.COMPLETED)), () -> completed);
        assertThat(answer).isSameAs(completed);
    }

    @Test
    void aStartRetriedAfterALostAnswerFindsTheJobRunning() {
        Job running = new Job.Builder().id("j_1").status(JobStatus.RUNNING).build();
        HeraldException already = new HeraldException(ErrorCode.INVALID_TRANSITION, "a running job cannot become "
                + "running", null, JobStatus.RUNNING);
        assertThat(retrying.transition(JobStatus.RUNNING, failing(null, lost(), already), () -> running))
                .isSameAs(running);
    }

    @Test
    void aFirstAttemptThatFindsTheTargetIsStillAnError() {
        HeraldException finished = HeraldException.finished(JobStatus.COMPLETED);
        assertThatThrownBy(() -> retrying.transition(JobStatus.COMPLETED, failing(null, finished), () -> null))
                .isSameAs(finished);
    }

    @Test
    void aRetryThatFindsAnotherEndIsAnError() {
        HeraldException cancelled = HeraldException.finished(JobStatus.CANCELLED);
        assertThatThrownBy(() -> retrying.transition(JobStatus.COMPLETED, failing(null, lost(), cancelled),
                () -> null)).isSameAs(cancelled);
    }
}
