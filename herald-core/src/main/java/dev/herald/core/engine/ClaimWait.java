package dev.herald.core.engine;

import dev.herald.core.command.ClaimRequest;
import dev.herald.core.model.Job;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A claim waiting for a job. One attempt at a time; a wake during an attempt runs another after it, since
 * the job that woke it may have come too late for the first. When the wait ends during an attempt, that
 * attempt answers; when the answer was cancelled (the claimer left), a job it took is handed to
 * {@code orphaned}: never left running under a lease nobody heard of.
 */
final class ClaimWait {
    private final ClaimRequest request;
    private final Function<ClaimRequest, CompletableFuture<Optional<Job>>> attempt;
    private final Consumer<Job> orphaned;
    private final CompletableFuture<Optional<Job>> answer = new CompletableFuture<>();
    private boolean trying;
    private boolean again;
    private boolean expired;

    ClaimWait(ClaimRequest request, Function<ClaimRequest, CompletableFuture<Optional<Job>>> attempt,
              Consumer<Job> orphaned) {
        this.request = request;
        this.attempt = attempt;
        this.orphaned = orphaned;
    }

    ClaimRequest request() {
        return request;
    }

    CompletableFuture<Optional<Job>> answer() {
        return answer;
    }

    void wake() {
        synchronized (this) {
            if (answer.isDone()) {
                return;
            }
            if (trying) {
                again = true;
                return;
            }
            trying = true;
        }
        attempt.apply(request).whenComplete((found, failure) -> tried(found == null ? Optional.empty() : found));
    }

    void expire() {
        synchronized (this) {
            expired = true;
            if (trying) {
                return;
            }
        }
        answer.complete(Optional.empty());
    }

    private void tried(Optional<Job> found) {
        boolean retry;
        synchronized (this) {
            trying = false;
            if (found.isPresent() || expired || answer.isDone()) {
                if (!answer.complete(found)) {
                    found.ifPresent(orphaned);
                }
                return;
            }
            retry = again;
            again = false;
        }
        if (retry) {
            wake();
        }
    }
}
