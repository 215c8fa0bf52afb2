package dev.herald.client;

import dev.herald.core.command.ClaimRequest;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.core.model.LogLevel;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One run of a claimed job's handler on a runner's worker thread (SDK.md §7): its result completes the job; its
 * exception requeues the job after the backoff while attempts remain, else fails it; a job cancelled or lost
 * meanwhile gets nothing more from it, and the handler's thread is interrupted after the grace period.
 */
final class Attempt {
    private static final System.Logger LOG = System.getLogger("dev.herald.client.Runner");

    private final RunnerConfig config;
    private final ClaimLoop claims;
    private final Job job;
    private final AttemptContext ctx;
    private Thread thread;
    private boolean running;

    Attempt(RunnerConfig config, ClaimLoop claims, Job job) {
        this.config = config;
        this.claims = claims;
        this.job = job;
        this.ctx = new AttemptContext(job, config.herald(), config.renewal());
    }

    Job job() {
        return job;
    }

    /**
     * Runs the handler on this thread, then tells the server how it ended. Answers the worker's next jobs when
     * its completion claimed them (empty: it claimed and none was due), or null when it did not claim.
     */
    List<Job> run() {
        synchronized (this) {
            thread = Thread.currentThread();
            running = true;
        }
        ctx.onCancel(this::interruptAfterGrace);
        Object result = null;
        Throwable failure = null;
        try {
            result = config.handlers().get(job.type()).handle(ctx);
        } catch (Throwable e) {
            failure = e;
        } finally {
            synchronized (this) {
                running = false;
                Thread.interrupted(); // an interrupt meant for the handler must not reach the next job
            }
        }
        List<Job> next = null;
        try {
            next = end(result, failure);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "job " + job.id() + ": the end of attempt " + job.attempt()
                    + " could not be told (the job runs again once its lease runs out)", e);
        } finally {
            ctx.close();
        }
        if (failure instanceof VirtualMachineError e) {
            throw e;
        }
        return next;
    }

    private List<Job> end(Object result, Throwable failure) {
        if (ctx.isCancelled()) {
            return null; // cancelled, lost or given back: the job is no longer this attempt's to end
        }
        if (failure == null) {
            try {
                return completed(result);
            } catch (IllegalArgumentException | HeraldException e) {
                failure = e; // a result that is not JSON, or one the server refuses (too large)
            }
        }
        failed(failure);
        return null;
    }

    private List<Job> completed(Object result) {
        ClaimRequest next = claims.onCompletion();
        try {
            return ctx.complete(result, next);
        } catch (HeraldException e) {
            if (next == null || !claims.refusedOnCompletion(e)) {
                throw e;
            }
            return ctx.complete(result, null); // a server that predates completions that claim: nothing changed
        }
    }

    private void failed(Throwable e) {
        String message = e.getMessage() != null && !e.getMessage().isBlank() ? e.getMessage() : e.toString();
        int attempt = job.attempt();
        if (attempt < job.maxAttempts()) {
            Duration delay = config.backoff().delay(attempt - 1);
            ctx.log(LogLevel.ERROR, "attempt " + attempt + " of " + job.maxAttempts() + " failed: " + message
                    + "; the next in " + delay.toMillis() + " ms", Map.of("exception", e.getClass().getName()));
            ctx.requeue(delay);
        } else {
            ctx.log(LogLevel.ERROR, "attempt " + attempt + " of " + job.maxAttempts() + " failed: " + message,
                    Map.of("exception", e.getClass().getName()));
            ctx.fail(message);
        }
    }

    private void interruptAfterGrace() {
        try {
            config.timer().schedule(this::interrupt, config.grace().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            interrupt(); // the runner has closed: no more grace
        }
    }

    private synchronized void interrupt() {
        if (running) {
            thread.interrupt();
        }
    }

    /** The runner stops before the handler did: the job goes back to the queue, and the handler is interrupted. */
    void giveBack() {
        ctx.giveBack(config.grace());
        interrupt();
    }
}
