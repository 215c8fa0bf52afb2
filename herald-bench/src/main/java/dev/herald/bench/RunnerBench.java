package dev.herald.bench;

import dev.herald.client.Herald;
import dev.herald.client.JobSpec;
import dev.herald.client.Runner;
import dev.herald.client.transport.Completed;
import dev.herald.client.transport.HttpTransport;
import dev.herald.client.transport.Transport;
import dev.herald.core.model.JobStatus;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The SDK's {@link Runner} (SDK.md §7) on one node with its embedded store: {@code --jobs} short jobs (a handler
 * that returns at once) queued before the clock starts, then a runner of {@code --workers} workers claims, runs
 * and completes them all, in-process ({@code HeraldServer.transport()}) and over HTTP, each separately. Reports
 * jobs per second (until {@code close()} returned, every completion included) and the latency of the claims that
 * brought a job, timed at the runner's transport (a completion that claimed the worker's next job counts as its
 * claim).
 */
public final class RunnerBench {
    public static void main(String[] args) throws Exception {
        BenchArgs a = new BenchArgs("RunnerBench [options]", args,
                "jobs", "2000", "jobs queued for each round",
                "workers", "1,2,4,8", "the worker counts to run, one round each",
                "modes", "in-process,remote", "which clients to run");
        Machine.printHeader("RunnerBench");
        System.out.println("options: " + a.effective());
        try (Target target = Target.open(null, null)) {
            System.out.println(target.describe());
            for (String mode : a.text("modes").split(",")) {
                boolean local = mode.trim().equals("in-process");
                Supplier<Transport> transport = () -> local ? target.embedded().transport()
                        : new HttpTransport(target.url(), target.token, Duration.ofSeconds(30));
                for (String count : a.text("workers").split(",")) {
                    round(mode.trim(), transport, a.integer("jobs"), Integer.parseInt(count.trim()));
                }
            }
        }
    }

    private static void round(String mode, Supplier<Transport> transport, int jobs, int workers) throws Exception {
        String type = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        Histogram claims = new Histogram();
        try (Herald herald = Herald.builder().transport(timed(transport.get(), claims)).build()) {
            queue(transport, type, jobs);
            CountDownLatch ran = new CountDownLatch(jobs);
            long start = System.nanoTime();
            Runner runner = Runner.builder(herald).handle(type, ctx -> {
                ran.countDown();
                return null;
            }).concurrency(workers).worker("bench").start();
            if (!ran.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the jobs did not all run within 10 minutes");
            }
            runner.close(); // returns once every running handler's job is completed
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "%s, workers %d: %d jobs in %.2f s = %.0f jobs/s claimed, run and "
                    + "completed; claim %s; load %s%n", mode, workers, jobs, seconds, jobs / seconds,
                    claims.summaryMillis(), Machine.loadAverage());
        }
    }

    /** Queues the round's jobs from 8 threads; not measured. */
    private static void queue(Supplier<Transport> transport, String type, int jobs) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        // through a client's direct calls, which wait out a 429 as a Retry-After asks
        try (Herald t = Herald.builder().transport(transport.get()).build()) {
            AtomicInteger left = new AtomicInteger(jobs);
            List<Future<?>> creating = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                creating.add(threads.submit(() -> {
                    while (left.getAndDecrement() > 0) {
                        t.create(JobSpec.of(type).status(JobStatus.QUEUED));
                    }
                }));
            }
            for (Future<?> f : creating) {
                f.get();
            }
        } finally {
            threads.shutdown();
        }
    }

    /** {@code inner}, with the latency of each claim that brought a job recorded in {@code claims}. */
    private static Transport timed(Transport inner, Histogram claims) {
        return (Transport) Proxy.newProxyInstance(Transport.class.getClassLoader(), new Class<?>[] {Transport.class},
                (proxy, method, args) -> {
                    long asked = System.nanoTime();
                    Object answer;
                    try {
                        answer = method.invoke(inner, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (answer instanceof Transport leased) {
                        return timed(leased, claims); // a worker's writes, its completions among them
                    }
                    // a completion that claimed the worker's next job is that job's claim
                    boolean claimed = answer instanceof Completed c ? !c.next().isEmpty()
                            : method.getName().startsWith("claim") && answer != null
                                    && !(answer instanceof List<?> l && l.isEmpty());
                    if (claimed) {
                        claims.record(System.nanoTime() - asked);
                    }
                    return answer;
                });
    }
}
