package dev.herald.client;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The threads all watches of a client share, whatever their number: a pool that calls listeners (each watch
 * through its own {@link SerialExecutor}), one timer (silence checks, reconnect waits) and the threads of
 * watches that poll. Streams themselves are read by the transport's threads.
 */
final class WatchThreads {
    final ExecutorService delivery;
    final ScheduledExecutorService timer;
    final ExecutorService polls;

    WatchThreads() {
        int n = Math.max(2, Runtime.getRuntime().availableProcessors());
        this.delivery = Executors.newFixedThreadPool(n, Daemons.named("herald-watch-"));
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, Daemons.named("herald-watch-timer-"));
        t.setRemoveOnCancelPolicy(true);
        this.timer = t;
        this.polls = Executors.newCachedThreadPool(Daemons.named("herald-watch-poll-"));
    }

    void close() {
        timer.shutdownNow();
        polls.shutdownNow();
        delivery.shutdown();
    }
}
