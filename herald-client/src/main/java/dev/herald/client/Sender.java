package dev.herald.client;

import dev.herald.client.transport.RetryableException;
import dev.herald.client.transport.Transport;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one thread of a client that sends what its reporters have: a round every {@code progressInterval} (at once
 * for a transition or a child's creation, which a worker waits for). While the server cannot be reached it backs
 * off and tries again, without limit: progress keeps coalescing and writes keep their order meanwhile.
 */
final class Sender {
    /** Log lines that may wait for the server, over all jobs (SDK.md §4). */
    static final int MAX_WAITING_LINES = 10_000;

    private final Transport transport;
    private final long intervalNanos;
    private final long heartbeatNanos;
    private final Backoff backoff;
    private final LineBudget lines = new LineBudget(MAX_WAITING_LINES);
    private final ConcurrentLinkedQueue<JobChannel> ready = new ConcurrentLinkedQueue<>();
    private final Set<JobChannel> open = ConcurrentHashMap.newKeySet();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition woken = lock.newCondition();
    private boolean urgent;
    /** Written before {@link #closed}, read after it. */
    private long flushDeadline;
    private volatile boolean closed;
    private Thread thread;
    private ExecutorService callbacks;

    Sender(Transport transport, Duration progressInterval, Duration heartbeatInterval, Backoff backoff) {
        this.transport = transport;
        this.intervalNanos = progressInterval.toNanos();
        this.heartbeatNanos = heartbeatInterval.toNanos();
        this.backoff = backoff;
    }

    LineBudget lines() {
        return lines;
    }

    boolean isClosed() {
        return closed;
    }

    /** A new reporter's channel: heartbeats start, and the thread with the first one. */
    void register(JobChannel ch) {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the Herald client is closed");
            }
            open.add(ch);
            if (thread == null) {
                thread = new Thread(this::run, "herald-sender");
                thread.setDaemon(true);
                thread.start();
            }
        } finally {
            lock.unlock();
        }
    }

    void ready(JobChannel ch, boolean now) {
        ready.add(ch);
        if (now) {
            wake();
        }
    }

    void wake() {
        lock.lock();
        try {
            urgent = true;
            woken.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Runs cancel callbacks off the sender's thread: a callback may wait for the sender (complete, child). */
    void runCallbacks(List<Runnable> list) {
        if (list.isEmpty()) {
            return;
        }
        synchronized (this) {
            if (callbacks == null) {
                callbacks = Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "herald-callbacks");
                    t.setDaemon(true);
                    return t;
                });
            }
        }
        callbacks.execute(() -> list.forEach(Sender::runCallback));
    }

    private static void runCallback(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            JobChannel.LOG.log(System.Logger.Level.WARNING, "an onCancel callback failed", e);
        }
    }

    private void run() {
        long notBefore = System.nanoTime();
        long due = notBefore + intervalNanos;
        int failures = 0;
        while (awaitRound(due, notBefore)) {
            long started = System.nanoTime();
            List<JobChannel> channels = new ArrayList<>();
            for (JobChannel ch; (ch = ready.poll()) != null; ) {
                channels.add(ch);
            }
            try {
                new SendingRound(transport).run(channels, open.stream().filter(ch -> ch.heartbeatDue(started,
                        heartbeatNanos)).toList());
                if (failures > 0) {
                    JobChannel.LOG.log(System.Logger.Level.INFO, "the server answers again; what waited was sent");
                }
                failures = 0;
                due = nextTick(due, started);
                notBefore = started;
            } catch (RetryableException e) {
                if (failures == 0) {
                    JobChannel.LOG.log(System.Logger.Level.WARNING, "{0}; progress, log lines and transitions "
                            + "wait and are sent when the server answers again", e.getMessage());
                }
                notBefore = System.nanoTime() + backoff.delay(failures++, e.retryAfter()).toNanos();
                due = notBefore;
            } catch (RuntimeException e) {
                JobChannel.LOG.log(System.Logger.Level.ERROR, "sending progress failed", e);
                due = started + intervalNanos;
            } finally {
                channels.forEach(JobChannel::reschedule);
                open.removeIf(JobChannel::isRetired);
            }
        }
        abandonWhatIsLeft();
    }

    /**
     * The tick after a round that began at {@code started}. A round on its tick, even one woken late by a busy
     * machine, is followed one interval after that tick, not after its late start: else every late wake-up would
     * stretch the interval, and the watchers' lag with it; a job still sends one state per interval on average.
     * A round sooner than its tick (a transition, a child) or more than an interval late starts the count again.
     */
    private long nextTick(long due, long started) {
        long late = started - due;
        return late >= 0 && late < intervalNanos ? due + intervalNanos : started + intervalNanos;
    }

    /**
     * Waits for the next round: its tick, or sooner for an urgent write, never before the backoff is over.
     * False when the client is closed and everything is sent, or its time to flush is up. Channels are asked for
     * work outside the lock: a worker holding its channel's lock may be waiting for this one to wake the sender.
     */
    private boolean awaitRound(long due, long notBefore) {
        while (true) {
            if (closed && (!hasWork() || System.nanoTime() - flushDeadline >= 0)) {
                return false;
            }
            lock.lock();
            try {
                long now = System.nanoTime();
                long at = urgent || closed ? notBefore : Math.max(due, notBefore);
                if (closed && at - flushDeadline > 0) {
                    at = flushDeadline;
                }
                if (now - at >= 0) {
                    urgent = false;
                    return true;
                }
                woken.awaitNanos(at - now);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } finally {
                lock.unlock();
            }
        }
    }

    private boolean hasWork() {
        return !ready.isEmpty() || open.stream().anyMatch(JobChannel::hasWork);
    }

    private void abandonWhatIsLeft() {
        HeraldException closedFirst = new HeraldException(ErrorCode.UNAVAILABLE,
                "the Herald client was closed before the server could be told");
        long left = open.stream().filter(JobChannel::hasWork).count();
        if (left > 0) {
            JobChannel.LOG.log(System.Logger.Level.WARNING, "closed with unsent progress or writes of {0} jobs: "
                    + "the server could not be reached in time", left);
        }
        open.forEach(ch -> ch.abandonWrites(closedFirst));
    }

    /** Sends what waits, for at most {@code flushTimeout}, then stops the thread. */
    void close(Duration flushTimeout) {
        Thread running;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            flushDeadline = System.nanoTime() + flushTimeout.toNanos();
            closed = true;
            woken.signal();
            running = thread;
        } finally {
            lock.unlock();
        }
        if (running != null) {
            try {
                running.join(flushTimeout.toMillis() + 5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            if (callbacks != null) {
                callbacks.shutdown();
            }
        }
    }
}
