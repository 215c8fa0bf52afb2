package dev.herald.client;

import dev.herald.core.event.EventType;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link Herald#whenFinished} and {@link Herald#awaitFinished}: a watch of the job's status events that ends with
 * its first terminal state, so waiting has every guarantee of a watch (reconnects, polling behind a proxy).
 */
final class FinishedJobs {
    private FinishedJobs() {
    }

    static CompletableFuture<Job> whenFinished(Herald herald, String id) {
        CompletableFuture<Job> done = new CompletableFuture<>();
        Watch w = herald.watch(WatchRequest.job(id).types(EventType.STATUS, EventType.DELETED), e -> {
            if (e.job() != null && e.job().status().isTerminal()) {
                done.complete(e.job());
            } else if (e.type() == EventType.DELETED) {
                done.completeExceptionally(new HeraldException(ErrorCode.NOT_FOUND, "job " + id
                        + " was deleted before it finished"));
            }
        });
        w.onState(s -> {
            if (s == Watch.State.CLOSED) {
                done.completeExceptionally(w.error().orElseGet(() -> new HeraldException(ErrorCode.UNAVAILABLE,
                        "the Herald client was closed before job " + id + " finished")));
            }
        });
        // also when the caller cancels the future: the watch is not needed any more
        done.whenComplete((job, error) -> w.close());
        return done;
    }

    static Job awaitFinished(Herald herald, String id, Duration timeout) throws TimeoutException {
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be a duration, not negative (got " + timeout + ")");
        }
        CompletableFuture<Job> done = whenFinished(herald, id);
        try {
            return done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            done.cancel(false);
            throw new TimeoutException("job " + id + " did not finish within " + timeout);
        } catch (InterruptedException e) {
            done.cancel(false);
            Thread.currentThread().interrupt();
            throw new HeraldException(ErrorCode.UNAVAILABLE, "interrupted while waiting for job " + id + " to finish");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof HeraldException h) {
                throw h;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
