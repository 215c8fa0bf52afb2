package dev.herald.client;

import dev.herald.client.transport.RetryableException;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The client's direct calls, tried again after a {@link RetryableException} (no answer, 408, 429, 5xx) up to
 * {@code maxRetries} times with a jittered backoff that honours {@code Retry-After}; any other refusal is the
 * caller's at once.
 */
final class Retrying {
    /** Waits between attempts; tests pass one that only records. */
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    static final Sleeper REAL_TIME = d -> TimeUnit.NANOSECONDS.sleep(d.toNanos());

    private final int maxRetries;
    private final Backoff backoff;
    private final Sleeper sleeper;

    Retrying(int maxRetries, Backoff backoff, Sleeper sleeper) {
        this.maxRetries = maxRetries;
        this.backoff = backoff;
        this.sleeper = sleeper;
    }

    <T> T call(Supplier<T> call) {
        return call(call, e -> false, null);
    }

    /**
     * A change of status. When an attempt after a lost answer is refused because the job already has the
     * {@code target} status, the lost attempt got through: the job as it now stands is the answer.
     */
    Job transition(JobStatus target, Supplier<Job> change, Supplier<Job> read) {
        return call(change, e -> e.status() == target
                && (e.code() == ErrorCode.JOB_FINISHED || e.code() == ErrorCode.INVALID_TRANSITION), read);
    }

    private <T> T call(Supplier<T> call, Predicate<HeraldException> doneBefore, Supplier<T> read) {
        for (int attempt = 0; ; attempt++) {
            try {
                return call.get();
            } catch (RetryableException e) {
                if (attempt >= maxRetries) {
                    throw e;
                }
                pause(backoff.delay(attempt, e.retryAfter()), e);
            } catch (HeraldException e) {
                if (attempt > 0 && doneBefore.test(e)) {
                    return call(read);
                }
                throw e;
            }
        }
    }

    private void pause(Duration d, RetryableException cause) {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HeraldException(ErrorCode.UNAVAILABLE, "interrupted while waiting to try again after: "
                    + cause.getMessage());
        }
    }
}
