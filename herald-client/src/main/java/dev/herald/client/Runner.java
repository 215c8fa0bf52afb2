package dev.herald.client;

import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs queued jobs (SDK.md §7, on API.md §9): its workers claim jobs of the handled types, run each type's
 * {@link Handler} with a {@link JobContext}, and complete, retry or fail the job by how the handler ended.
 *
 * <pre>{@code
 * Runner runner = Runner.builder(herald)
 *     .handle("import-csv", ctx -> {
 *         ImportInput in = ctx.input(ImportInput.class);
 *         ctx.stage("parsing").progress(0, in.rows());
 *         ...; ctx.throwIfCancelled();
 *         return Map.of("rows", in.rows());
 *     })
 *     .concurrency(8).lease(Duration.ofSeconds(30))
 *     .retry(Backoff.exponential(Duration.ofSeconds(1), Duration.ofMinutes(5)))
 *     .start();
 * Job job = runner.enqueue(JobSpec.of("import-csv").input(new ImportInput(...)).maxAttempts(3));
 * runner.close();
 * }</pre>
 *
 * Workers in any number of processes share the queue through claims: one worker holds a job at a time, under a
 * lease the runner renews. A worker that dies loses its lease and the job runs again elsewhere while attempts
 * remain. Works the same over HTTP and in-process (a server's {@code client()}).
 */
public final class Runner implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.herald.client.Runner");
    /** How long close() waits for handlers interrupted after their jobs were given back. */
    private static final Duration AFTER_INTERRUPT = Duration.ofSeconds(5);

    private final RunnerConfig config;
    private final ClaimLoop claims;
    /** Guards {@link #running} against close(): no attempt starts once it began. */
    private final Object lock = new Object();
    private final Set<Attempt> running = new HashSet<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    Runner(RunnerConfig config) {
        this.config = config;
        this.claims = new ClaimLoop(config.herald().transport(), config);
        for (int i = 0; i < config.concurrency(); i++) {
            new Thread(this::work, "herald-runner-" + config.worker() + "-" + i).start();
        }
    }

    /** A runner of {@code herald}'s server: add handlers, then {@link RunnerBuilder#start()}. */
    public static RunnerBuilder builder(Herald herald) {
        return new RunnerBuilder(herald);
    }

    /** The name this runner claims under. */
    public String worker() {
        return config.worker();
    }

    /** Creates the job {@code queued}, for any worker of its type (this runner's, or another process's). */
    public Job enqueue(JobSpec spec) {
        return config.herald().create(Arguments.required(spec, "spec").status(JobStatus.QUEUED));
    }

    private void work() {
        boolean busy = false;
        List<Job> next = null;
        while (true) {
            // a completion that claimed and found none is as good as a claim: the worker joins the idle ones
            Job job = next == null ? claims.next(busy) : next.isEmpty() ? claims.next(false) : next.get(0);
            if (job == null) {
                return;
            }
            Attempt attempt = admit(job);
            if (attempt == null) {
                claims.giveBack(job);
                return;
            }
            next = null;
            try {
                next = attempt.run();
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.ERROR, "a worker of runner " + config.worker() + " failed", e);
            } finally {
                synchronized (lock) {
                    running.remove(attempt);
                    lock.notifyAll();
                }
            }
            busy = true;
        }
    }

    /** The attempt of a claimed job, or null once the runner stops. */
    private Attempt admit(Job job) {
        synchronized (lock) {
            if (claims.isStopping()) {
                return null;
            }
            Attempt attempt = new Attempt(config, claims, job);
            running.add(attempt);
            return attempt;
        }
    }

    /**
     * Stops claiming, lets running handlers finish within the grace period, then gives their jobs back to the
     * queue (another worker claims them at once) and interrupts them. Leaves the {@link Herald} open.
     */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        List<Attempt> late;
        synchronized (lock) {
            claims.stop();
            awaitIdle(config.grace());
            late = List.copyOf(running);
        }
        if (!late.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "runner {0}: {1} handlers still run after the grace period; their jobs "
                    + "go back to the queue", config.worker(), late.size());
        }
        late.forEach(Attempt::giveBack);
        synchronized (lock) {
            awaitIdle(AFTER_INTERRUPT);
        }
        config.timer().shutdownNow();
    }

    /** Caller holds the lock. Waits until no handler runs, or {@code timeout} has passed. */
    private void awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (long left = timeout.toNanos(); !running.isEmpty() && left > 0; left = deadline - System.nanoTime()) {
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
