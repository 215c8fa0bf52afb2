package dev.herald.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.RawJson;
import dev.herald.json.JobJson;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One started {@link ProgressPoller}: a tick on the scheduler starts a poll on a thread of the pollers' own (so a
 * slow upstream holds up no scheduler), and its answer is reported before the next tick is scheduled, so one
 * poll at a time is ever in flight and the state below needs no lock. A cancel found by the reporter ends it
 * from the client's callback thread; {@link #done} makes sure it ends once.
 */
final class PollerRun<S> {
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final ScheduledExecutorService TICKS = ticks();
    private static final ExecutorService POLLS = Executors.newCachedThreadPool(Daemons.named("herald-poller-"));

    private final ProgressPoller.Builder<S> settings;
    private final ScheduledExecutorService scheduler;
    private final CompletableFuture<Job> done = new CompletableFuture<>();
    private final AtomicBoolean cancelTold = new AtomicBoolean();
    /** Set first thing when the job is found ended elsewhere, so no tick is scheduled after it. */
    private volatile boolean stopped;
    private Reporter reporter;
    private RawJson ownMetadata;
    private int errors;
    private Instant lastSuccessAt;
    private boolean stale;
    private volatile ScheduledFuture<?> next;

    PollerRun(ProgressPoller.Builder<S> settings) {
        this.settings = settings;
        this.scheduler = settings.scheduler != null ? settings.scheduler : TICKS;
    }

    CompletableFuture<Job> start() {
        Herald herald = settings.herald;
        Job job = herald.get(settings.jobId);
        if (job.status() == JobStatus.PENDING || job.status() == JobStatus.QUEUED) {
            herald.start(settings.jobId);
        }
        ownMetadata = job.progress().metadata();
        reporter = herald.reporter(settings.jobId);
        reporter.onCancel(this::cancelled);
        schedule(Duration.ZERO);
        return done;
    }

    private void schedule(Duration wait) {
        if (stopped || done.isDone()) {
            return;
        }
        try {
            next = scheduler.schedule(this::tick, wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            end(e);
        }
        if (stopped) {
            next.cancel(false);
        }
    }

    private void tick() {
        if (stopped || done.isDone()) {
            return;
        }
        CompletableFuture.supplyAsync(this::askUpstream, POLLS)
                .orTimeout(settings.timeout.toNanos(), TimeUnit.NANOSECONDS)
                .whenComplete(this::polled);
    }

    private S askUpstream() {
        try {
            return settings.poll.call();
        } catch (Exception e) {
            throw new CompletionException(e);
        }
    }

    private void polled(S answer, Throwable error) {
        if (done.isDone()) {
            return;
        }
        try {
            Throwable failure = error != null ? unwrap(error) : report(answer);
            if (failure != null) {
                failed(failure);
            }
        } catch (RuntimeException e) {
            // Herald itself refused (the client closed, the job gone): nothing more can be reported
            end(e);
        }
    }

    /** Reports a poll's answer; the failure when the answer could not be taken, else null. */
    private Throwable report(S answer) {
        Polled progress;
        boolean failedUpstream;
        boolean completed;
        try {
            progress = settings.map.apply(answer);
            failedUpstream = settings.failWhen.test(answer);
            completed = !failedUpstream && settings.completeWhen.test(answer);
        } catch (RuntimeException e) {
            return e;
        }
        if (progress != null) {
            try {
                progress.reportTo(reporter);
            } catch (IllegalArgumentException e) {
                return e;
            }
        }
        errors = 0;
        lastSuccessAt = settings.clock.instant();
        if (stale) {
            stale = false;
            reporter.metadata(metadata());
        }
        if (failedUpstream) {
            reporter.fail(settings.failure.apply(answer));
            finish();
        } else if (completed) {
            reporter.complete(settings.result.apply(answer));
            finish();
        } else {
            schedule(settings.every);
        }
        return null;
    }

    private void failed(Throwable why) {
        errors++;
        String text = why instanceof TimeoutException ? "no answer within " + settings.timeout
                : why.getMessage() != null ? why.getMessage() : why.getClass().getSimpleName();
        if (errors >= settings.maxConsecutiveErrors) {
            reporter.fail("upstream_unavailable", "gave up after " + errors + " failed polls in a row; the last: "
                    + text);
            finish();
            return;
        }
        stale = true;
        Duration wait = backoff();
        reporter.metadata(metadata());
        reporter.warn("poll failed (" + errors + " in a row, the job fails at " + settings.maxConsecutiveErrors
                + "): " + text + "; next poll in " + wait.toMillis() + " ms");
        schedule(wait);
    }

    /** {@code every}, doubled with each failure in a row, up to 30 s (or {@code every} when that is longer). */
    private Duration backoff() {
        Duration cap = settings.every.compareTo(MAX_BACKOFF) > 0 ? settings.every : MAX_BACKOFF;
        Duration wait = settings.every.multipliedBy(1L << Math.min(errors, 20));
        return wait.compareTo(cap) > 0 ? cap : wait;
    }

    /** The job's own metadata with the poller's state under {@code poller}. */
    private ObjectNode metadata() {
        ObjectNode meta = JobJson.mapper().createObjectNode();
        if (ownMetadata != null) {
            try {
                JsonNode own = JobJson.mapper().readTree(ownMetadata.text());
                if (own.isObject()) {
                    meta.setAll((ObjectNode) own);
                }
            } catch (JsonProcessingException e) {
                // the server sent it as JSON: nothing to keep if it is not
            }
        }
        meta.putObject("poller").put("stale", stale).put("consecutiveErrors", errors)
                .put("lastSuccessAt", lastSuccessAt == null ? null : lastSuccessAt.toString());
        return meta;
    }

    /** The job was found cancelled (or ended elsewhere): no more polls, and the caller hears of it once. */
    private void cancelled() {
        stopped = true;
        ScheduledFuture<?> n = next;
        if (n != null) {
            n.cancel(false);
        }
        if (cancelTold.compareAndSet(false, true)) {
            try {
                settings.onCancel.run();
            } catch (RuntimeException e) {
                JobChannel.LOG.log(System.Logger.Level.WARNING, "a poller's onCancel failed", e);
            }
        }
        finish();
    }

    /** Completes with the job as Herald has it now that it has ended. */
    private void finish() {
        try {
            done.complete(settings.herald.get(settings.jobId));
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
        reporter.close();
    }

    private void end(Throwable e) {
        if (done.completeExceptionally(e)) {
            reporter.close();
        }
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    private static ScheduledExecutorService ticks() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, Daemons.named("herald-poller-timer-"));
        t.setRemoveOnCancelPolicy(true);
        return t;
    }
}
