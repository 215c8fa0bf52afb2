package dev.herald.testkit;

import dev.herald.core.event.JobEvent;
import dev.herald.core.port.EventBus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads that take turns at every job, as request threads and the store writer
 * do in the engine: a job's lock orders its publishes, nothing orders those of
 * different jobs, and one job's events come from every thread.
 */
final class TurnTakingPublishers {
    private final int threads;
    private final Duration timeout;

    TurnTakingPublishers(int threads, Duration timeout) {
        this.threads = threads;
        this.timeout = timeout;
    }

    /**
     * Publishes each job's events in their order, the jobs' interleaved, and returns
     * once all are published. Every job has as many events: turns go round the jobs.
     */
    void publish(EventBus bus, List<List<JobEvent>> perJob) throws Exception {
        if (perJob.stream().mapToInt(List::size).distinct().count() > 1) {
            throw new IllegalArgumentException("every job needs as many events");
        }
        int total = perJob.size() * perJob.get(0).size();
        int[] published = new int[perJob.size()];
        AtomicInteger tickets = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int k = tickets.getAndIncrement(); k < total; k = tickets.getAndIncrement()) {
                        int job = k % perJob.size();
                        synchronized (perJob.get(job)) {
                            bus.publish(perJob.get(job).get(published[job]++));
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
