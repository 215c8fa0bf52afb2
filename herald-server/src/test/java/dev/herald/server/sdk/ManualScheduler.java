package dev.herald.server.sdk;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A scheduler that runs nothing by itself: the test runs each scheduled task when it chooses ({@link #runNext()}),
 * on its own thread, so time-driven code is driven without sleeping. Only {@code schedule(Runnable, ...)} is
 * supported, which is what a {@code ProgressPoller} uses.
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    /** A scheduled task and the wait it was scheduled with. */
    static final class Task implements ScheduledFuture<Object> {
        final Runnable body;
        final Duration delay;
        volatile boolean cancelled;

        Task(Runnable body, Duration delay) {
            this.body = body;
            this.delay = delay;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(delay);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterrupt) {
            cancelled = true;
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return cancelled;
        }

        @Override
        public Object get() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            throw new UnsupportedOperationException();
        }
    }

    private final LinkedBlockingQueue<Task> tasks = new LinkedBlockingQueue<>();
    final List<Duration> delays = new ArrayList<>();

    /** Waits until a task is scheduled, then runs it here; answers the wait it was scheduled with. */
    synchronized Duration runNext() {
        await().until(() -> tasks.stream().anyMatch(t -> !t.cancelled));
        Task t = tasks.poll();
        while (t.cancelled) {
            t = tasks.poll();
        }
        delays.add(t.delay);
        t.body.run();
        return t.delay;
    }

    /** Tasks scheduled and not cancelled. */
    long pending() {
        return tasks.stream().filter(t -> !t.cancelled).count();
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        Task t = new Task(command, Duration.ofNanos(unit.toNanos(delay)));
        tasks.add(t);
        return t;
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void execute(Runnable command) {
        command.run();
    }

    @Override
    public void shutdown() {
    }

    @Override
    public List<Runnable> shutdownNow() {
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }
}
