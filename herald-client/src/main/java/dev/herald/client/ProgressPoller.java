package dev.herald.client;

import dev.herald.core.model.Job;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Reports the progress of work that happens elsewhere (an image generation API, a cloud export) by polling it
 * (SDK.md §6):
 *
 * <pre>{@code
 * CompletableFuture<Job> done = ProgressPoller.builder(herald, jobId, () -> pixelApi.status(taskId))
 *     .every(Duration.ofMillis(2500))
 *     .map(s -> Polled.progress("generation", s.done(), s.total()).message(s.phase()))
 *     .completeWhen(s -> s.state().equals("done"), s -> Map.of("frames", s.frames()))
 *     .failWhen(s -> s.state().equals("error"), s -> s.error())
 *     .maxConsecutiveErrors(20)
 *     .onCancel(() -> pixelApi.cancel(taskId))
 *     .start();
 * }</pre>
 *
 * <ul>
 * <li>Each poll's mapped progress goes through a {@link Reporter} of the job, so its stages and weights apply.
 *     A pending or queued job is started by the first poll.</li>
 * <li>A failed poll (it threw, took longer than {@code timeout}, or its answer could not be mapped) keeps the last
 *     progress, sets {@code poller: {stale: true, consecutiveErrors: n, lastSuccessAt}} in the job's metadata
 *     (over the metadata the job had), logs a warn line in the job's log and waits longer before the next poll:
 *     twice {@code every} per failure in a row, up to 30 s (or {@code every}, if longer). The next good poll sets
 *     {@code stale: false}. After {@code maxConsecutiveErrors} failures in a row the job fails with error code
 *     {@code upstream_unavailable}.</li>
 * <li>When {@code completeWhen} holds, the poll's progress is reported and then the job completes with the
 *     result; so a job that finished upstream before its first poll still gets its final progress. Likewise
 *     {@code failWhen} fails it with the message.</li>
 * <li>A job cancelled in Herald (or ended elsewhere) stops the poller and runs {@code onCancel}, where the caller
 *     may cancel the work upstream.</li>
 * </ul>
 * The future completes with the job as it ended (completed, failed or cancelled), or exceptionally when Herald
 * itself could not be told (the client was closed, say).
 */
public final class ProgressPoller {
    private ProgressPoller() {
    }

    /** A poller of {@code poll} for the job {@code jobId} (which must exist). */
    public static <S> Builder<S> builder(Herald herald, String jobId, Callable<S> poll) {
        return new Builder<>(Arguments.required(herald, "herald"), Arguments.text(jobId, "job id"),
                Arguments.required(poll, "poll"));
    }

    /**
     * The settings of one poller; {@link #start()} starts it.
     *
     * @param <S> what one poll answers
     */
    public static final class Builder<S> {
        final Herald herald;
        final String jobId;
        final Callable<S> poll;
        Duration every = Duration.ofSeconds(1);
        Duration timeout = Duration.ofSeconds(30);
        Function<S, Polled> map = s -> null;
        Predicate<S> completeWhen = s -> false;
        Function<S, Object> result = s -> null;
        Predicate<S> failWhen = s -> false;
        Function<S, String> failure = s -> "failed upstream";
        int maxConsecutiveErrors = 10;
        Runnable onCancel = () -> { };
        Clock clock = Clock.systemUTC();
        ScheduledExecutorService scheduler;

        private Builder(Herald herald, String jobId, Callable<S> poll) {
            this.herald = herald;
            this.jobId = jobId;
            this.poll = poll;
        }

        /** How often to poll while all goes well (default 1 s). */
        public Builder<S> every(Duration interval) {
            this.every = Arguments.positive(interval, "every");
            return this;
        }

        /** How long one poll may take before it counts as failed (default 30 s). */
        public Builder<S> timeout(Duration limit) {
            this.timeout = Arguments.positive(limit, "timeout");
            return this;
        }

        /** What progress a poll's answer shows; by default none (only the end is reported). */
        public Builder<S> map(Function<S, Polled> mapping) {
            this.map = Arguments.required(mapping, "map");
            return this;
        }

        /** When the work is done, and the job's result (any JSON-able object, or null) from that answer. */
        public Builder<S> completeWhen(Predicate<S> done, Function<S, ?> resultOf) {
            this.completeWhen = Arguments.required(done, "completeWhen");
            Arguments.required(resultOf, "result");
            this.result = resultOf::apply;
            return this;
        }

        /** When the work failed upstream, and the job's error message from that answer. */
        public Builder<S> failWhen(Predicate<S> failed, Function<S, String> messageOf) {
            this.failWhen = Arguments.required(failed, "failWhen");
            this.failure = Arguments.required(messageOf, "message");
            return this;
        }

        /** Failed polls in a row after which the job fails with {@code upstream_unavailable} (default 10). */
        public Builder<S> maxConsecutiveErrors(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxConsecutiveErrors must be at least 1 (got " + n + ")");
            }
            this.maxConsecutiveErrors = n;
            return this;
        }

        /** Runs once when the job is found cancelled in Herald, on a thread of the client's. */
        public Builder<S> onCancel(Runnable callback) {
            this.onCancel = Arguments.required(callback, "onCancel");
            return this;
        }

        /** The time {@code lastSuccessAt} tells (default the system's): tests set their own. */
        public Builder<S> clock(Clock c) {
            this.clock = Arguments.required(c, "clock");
            return this;
        }

        /**
         * Where polls are scheduled (default a daemon thread all pollers share); tests pass one they run by hand.
         * The polls themselves run on the client's own threads.
         */
        public Builder<S> scheduler(ScheduledExecutorService s) {
            this.scheduler = Arguments.required(s, "scheduler");
            return this;
        }

        /**
         * Reads the job, starts it if it is pending or queued, and schedules the first poll at once.
         *
         * @throws dev.herald.core.model.HeraldException {@code not_found} for an unknown job
         */
        public CompletableFuture<Job> start() {
            return new PollerRun<>(this).start();
        }
    }
}
