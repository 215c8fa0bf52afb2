package dev.herald.client;

import dev.herald.client.transport.RetryableException;
import dev.herald.client.transport.Transport;
import dev.herald.core.command.ClaimRequest;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * How a runner's workers get jobs (API §9). An idle runner costs one waiting claim: of its idle workers one at a
 * time waits on the server ({@code waitMs}), the others wait for it here. A worker that just ran a job asks at once
 * ({@code waitMs} 0) for the next, since a busy queue answers that without a wait; when none is there, it joins
 * the idle ones. The waiting claim asks for a job for each idle worker ({@code limit}): a burst of jobs wakes them
 * all with one answer, and the poller's turn goes to a worker still idle after that. A worker's completion
 * claims its next job in the same request ({@link #onCompletion}); only when none came does it join the idle.
 */
final class ClaimLoop {
    private static final System.Logger LOG = System.getLogger("dev.herald.client.Runner");
    /** How long one waiting claim lasts; a runner closing interrupts it (over HTTP) or lets it run out. */
    static final long WAIT_MS = 10_000;
    private static final Backoff FAULTS = Backoff.jittered(Duration.ofMillis(100), Duration.ofSeconds(5));

    private final Transport transport;
    private final ClaimRequest waiting;
    private final ClaimRequest now;
    private final Object lock = new Object();
    private boolean polling;
    /** Workers waiting here for the poller; a waiting claim asks for one job for each, and one for itself. */
    private int idle;
    /** Jobs the poller's claim brought for the waiting workers. */
    private final ArrayDeque<Job> handed = new ArrayDeque<>();
    private Thread poller;
    private volatile boolean stopping;
    /** Claims wait until then (System.nanoTime()) after a fault: a runner over its key's limit slows down. */
    private volatile long notBefore = System.nanoTime();
    /** False once the server refused {@code limit}: it predates claims of several jobs. */
    private volatile boolean batches = true;
    /** What a completion claims for its worker; null once the server refused it (it predates such completions). */
    private volatile ClaimRequest onCompletion;

    ClaimLoop(Transport transport, RunnerConfig config) {
        this.transport = transport;
        this.waiting = new ClaimRequest(config.handlers().keySet(), null, config.worker(), config.lease().toMillis(),
                WAIT_MS);
        this.now = new ClaimRequest(config.handlers().keySet(), null, config.worker(), config.lease().toMillis(), 0);
        this.onCompletion = now.upTo(1);
    }

    /**
     * The claim a worker's completion carries for its next job (docs/api-notes.md): one request per job instead
     * of two, and the completion and the next job's start share the store's commits. Null while the runner stops
     * or holds off after a fault, and once the server refused such a completion.
     */
    ClaimRequest onCompletion() {
        return stopping || System.nanoTime() - notBefore < 0 ? null : onCompletion;
    }

    /** True when {@code e} is a server's refusal of completions that claim: the workers stop sending them. */
    boolean refusedOnCompletion(HeraldException e) {
        if (e.code() == ErrorCode.INVALID_FIELD && e.field() != null && e.field().startsWith("claim")) {
            onCompletion = null;
            return true;
        }
        return false;
    }

    boolean isStopping() {
        return stopping;
    }

    /** The next job for the calling worker, or null once the runner stops. {@code busy}: it just ran one. */
    Job next(boolean busy) {
        if (busy && !stopping && System.nanoTime() - notBefore >= 0) {
            try {
                Job job = transport.claim(now);
                if (job != null) {
                    return job;
                }
            } catch (RetryableException e) {
                holdOff(0, e); // the waiting claim below waits it out, and says why if it lasts
            } catch (RuntimeException e) {
                // the waiting claim below backs off and says why
            }
        }
        synchronized (lock) {
            idle++;
            try {
                while (handed.isEmpty() && polling && !stopping) {
                    lock.wait();
                }
            } catch (InterruptedException e) {
                return null;
            } finally {
                idle--;
            }
            if (!handed.isEmpty()) {
                return handed.poll(); // the runner gives it back when it stops meanwhile
            }
            if (stopping) {
                return null;
            }
            polling = true;
            poller = Thread.currentThread();
        }
        try {
            return poll();
        } finally {
            synchronized (lock) {
                polling = false;
                poller = null;
                Thread.interrupted(); // stop()'s interrupt was for the claim, not for the handler to come
                lock.notifyAll();
            }
        }
    }

    private Job poll() {
        int failures = 0;
        while (!stopping) {
            waitOut();
            try {
                List<Job> jobs = claimWaiting();
                if (!jobs.isEmpty()) {
                    hand(jobs.subList(1, jobs.size()));
                    return jobs.get(0);
                }
                failures = 0;
            } catch (IllegalStateException e) {
                LOG.log(System.Logger.Level.ERROR, "the runner's client is closed: its workers stop", e);
                stopping = true;
            } catch (HeraldException e) {
                if (stopping) {
                    break;
                }
                if (batches && e.code() == ErrorCode.INVALID_FIELD && "limit".equals(e.field())) {
                    batches = false; // a server that predates claims of several jobs: one job a claim
                    continue;
                }
                pause(failures++, e);
            } catch (RuntimeException e) {
                if (stopping) {
                    break;
                }
                pause(failures++, e);
            }
        }
        return null;
    }

    /** One job for the poller and one for each idle worker, in one claim; one job alone when none is idle. */
    private List<Job> claimWaiting() {
        int n;
        synchronized (lock) {
            n = 1 + idle;
        }
        if (n > 1 && batches) {
            return transport.claimAll(waiting.upTo(n));
        }
        Job job = transport.claim(waiting);
        return job == null ? List.of() : List.of(job);
    }

    /** The jobs a waiting claim brought for the idle workers, who take them at once; given back after stop(). */
    private void hand(List<Job> jobs) {
        synchronized (lock) {
            if (!stopping) {
                handed.addAll(jobs);
                return;
            }
        }
        jobs.forEach(this::giveBack);
    }

    /** A job claimed as the runner stopped: back to the queue unrun, its attempt counted. */
    void giveBack(Job job) {
        try {
            transport.leased(job.lease().token()).retry(job.id());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "job {0}, claimed as the runner stopped, could not be given back "
                    + "({1}): it runs again once its lease runs out", job.id(), e.getMessage());
        }
    }

    private void pause(int failures, RuntimeException e) {
        if (failures == 0) {
            String code = e instanceof HeraldException h ? h.code().wire() + ": " : "";
            LOG.log(System.Logger.Level.WARNING, "claiming failed ({0}{1}); trying again", code, e.getMessage());
        }
        holdOff(failures, e);
    }

    /** No claim from any worker before the backoff, or before the server's {@code Retry-After}, has passed. */
    private void holdOff(int failures, RuntimeException e) {
        Optional<Duration> retryAfter = e instanceof RetryableException r ? r.retryAfter() : Optional.empty();
        long until = System.nanoTime() + FAULTS.delay(failures, retryAfter).toNanos();
        synchronized (lock) {
            if (until - notBefore > 0) {
                notBefore = until;
            }
        }
    }

    private void waitOut() {
        long left;
        while (!stopping && (left = notBefore - System.nanoTime()) > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(left);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** No more claims: idle workers return, and a waiting claim is interrupted (an HTTP one ends at once). */
    void stop() {
        synchronized (lock) {
            stopping = true;
            lock.notifyAll();
            if (poller != null) {
                poller.interrupt();
            }
        }
    }
}
