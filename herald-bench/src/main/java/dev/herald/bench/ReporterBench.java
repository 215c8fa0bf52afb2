package dev.herald.bench;

import dev.herald.client.Herald;
import dev.herald.client.JobSpec;
import dev.herald.client.Reporter;
import dev.herald.client.Watch;
import dev.herald.client.WatchRequest;
import dev.herald.core.model.Job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * What the SDK's {@link Reporter} costs the worker, and how far behind a {@link Watch} of the same jobs is
 * (SDK.md §4: progress never blocks the worker, one state per job per {@code progressInterval}).
 *
 * <p>{@code --threads} workers share {@code --jobs} jobs, one reporter each (thread t works the jobs j with
 * j mod threads = t), and call {@code progress(now)} in a loop: the value set is the microseconds since the
 * bench began, so any state the watcher holds tells by itself how old it is. With {@code --mode local} the
 * client is the server's in-process one ({@code server.client()}, no HTTP); with {@code remote} it is
 * {@link Herald#remote} over HTTP, to the embedded server or {@code --url}. One {@link Watch} of every job
 * (another client of the same kind) keeps each job's newest value; a sampler reads, every 10 ms, how far each
 * job's newest state at the watcher is behind the present: the lag. The lag is also given in its two parts: how
 * old each state is when the listener gets it (the sender's request, the server, the stream, the parsing), and how
 * far apart a job's states reach it (the sender's rounds, one per interval). Afterwards every job's state at the
 * server must equal the last value its worker set.
 */
public final class ReporterBench {

    public static void main(String[] args) throws Exception {
        BenchArgs a = new BenchArgs("ReporterBench [options]", args,
                "mode", "local", "local (server.client(), in this JVM) or remote (HTTP)",
                "url", null, "remote mode: a running server (default: embedded server in this JVM)",
                "token", null, "the running server's admin token",
                "threads", "8", "worker threads",
                "jobs", null, "jobs, one reporter each (default: 8 local, 1000 remote)",
                "interval-ms", "100", "the clients' progressInterval",
                "rate", "0", "calls per second of all workers together, paced (0: as fast as they can)",
                "warmup-s", "3", "seconds of calls before measuring",
                "duration-s", "10", "measured seconds");
        boolean local = a.text("mode").equals("local");
        if (!local && !a.text("mode").equals("remote")) {
            throw new IllegalArgumentException("--mode is local or remote");
        }
        int jobs = a.text("jobs") != null ? a.integer("jobs") : local ? 8 : 1000;
        Duration interval = Duration.ofMillis(a.integer("interval-ms"));
        Machine.printHeader("ReporterBench (" + a.text("mode") + ")");
        try (Target t = Target.open(local ? null : a.text("url"), a.text("token"))) {
            System.out.println(local ? "target: server in this JVM, client = server.client() (no HTTP)" : t.describe());
            System.out.println("options: " + a.effective());
            try (Herald worker = client(t, local, interval); Herald watcher = client(t, local, interval)) {
                run(a, t, local, worker, watcher, jobs);
            }
        }
    }

    private static Herald client(Target t, boolean local, Duration interval) {
        return local ? t.embedded().client(b -> b.progressInterval(interval))
                : Herald.builder().url(t.url()).token(t.token).progressInterval(interval).build();
    }

    private static void run(BenchArgs a, Target t, boolean local, Herald worker, Herald watcher, int jobs)
            throws Exception {
        long start = System.nanoTime();
        List<Reporter> reporters = new ArrayList<>(jobs);
        Map<String, Integer> index = new HashMap<>();
        for (int j = 0; j < jobs; j++) {
            Reporter r = worker.start(JobSpec.of("reporter-bench").total(1e15));
            index.put(r.jobId(), j);
            reporters.add(r);
        }
        AtomicLongArray newest = new AtomicLongArray(jobs);
        // the lag split in two: how old a state is when the listener gets it (sender, server, stream, parsing), and
        // how far apart a job's states come (the sender's rounds)
        Histogram delivery = new Histogram();
        Histogram gaps = new Histogram();
        long[] lastSeen = new long[jobs];
        long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(a.integer("warmup-s"));
        Watch watch = watcher.watch(WatchRequest.jobs(index.keySet()), e -> {
            if (e.job() != null && e.job().progress().current() != null) {
                int j = index.get(e.jobId());
                long value = (long) (double) e.job().progress().current();
                newest.accumulateAndGet(j, value, Math::max);
                long now = System.nanoTime();
                if (now >= warmupEnd) {
                    long micros = (now - start) / 1000;
                    delivery.record(TimeUnit.MICROSECONDS.toNanos(micros - value));
                    if (lastSeen[j] != 0) {
                        gaps.record(TimeUnit.MICROSECONDS.toNanos(micros - lastSeen[j]));
                    }
                    lastSeen[j] = micros;
                }
            }
        });
        double requestsBefore = local ? 0 : progressRequests(t);
        int threads = a.integer("threads");
        long end = warmupEnd + TimeUnit.SECONDS.toNanos(a.integer("duration-s"));
        LongAdder measuredCalls = new LongAdder();
        int rate = a.integer("rate");
        long[] last = new long[jobs];
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            int first = w;
            Thread th = new Thread(() -> {
                long calls = 0;
                long perPass = (jobs - first + threads - 1) / threads;
                // a paced worker makes its passes over its jobs at its share of the rate
                long passNanos = rate <= 0 ? 0 : TimeUnit.SECONDS.toNanos(1) * perPass * threads / rate;
                long nextPass = System.nanoTime();
                long now;
                while ((now = System.nanoTime()) < end) {
                    if (passNanos > 0) {
                        if (now < nextPass) {
                            LockSupport.parkNanos(nextPass - now);
                            continue;
                        }
                        nextPass += passNanos;
                    }
                    long micros = (now - start) / 1000;
                    for (int j = first; j < jobs; j += threads) {
                        reporters.get(j).progress(micros);
                        last[j] = micros;
                    }
                    if (now >= warmupEnd) {
                        calls += perPass;
                    }
                }
                measuredCalls.add(calls);
            }, "worker-" + w);
            workers.add(th);
            th.start();
        }
        Histogram lag = new Histogram();
        while (System.nanoTime() < end) {
            Thread.sleep(10);
            long now = System.nanoTime();
            if (now < warmupEnd) {
                continue;
            }
            long micros = (now - start) / 1000;
            for (int j = 0; j < jobs; j++) {
                lag.record(TimeUnit.MICROSECONDS.toNanos(micros - newest.get(j)));
            }
        }
        for (Thread th : workers) {
            th.join();
        }
        double seconds = a.integer("duration-s");
        System.out.printf("calls: %d in %.0f s = %.0f progress calls/s from %d threads over %d jobs%n",
                measuredCalls.sum(), seconds, measuredCalls.sum() / seconds, threads, jobs);
        System.out.println("watcher's newest state behind the present (sampled every 10 ms per job): "
                + lag.summaryMillis());
        System.out.println("  of which the age of a state as the listener gets it: " + delivery.summaryMillis());
        System.out.println("  and the time between two states of a job at the listener: " + gaps.summaryMillis());
        if (!local) {
            System.out.printf("progress requests the server answered while measuring and after: %.0f%n",
                    progressRequests(t) - requestsBefore);
        }
        System.out.println("load average (1, 5, 15 min) at end: " + Machine.loadAverage());
        for (Reporter r : reporters) {
            r.complete();
        }
        watch.close();
        if (threads > jobs) {
            System.out.println("final states not checked: threads share jobs, so no call is the last one");
            return;
        }
        int wrong = 0;
        for (int j = 0; j < jobs; j++) {
            Job done = worker.get(reporters.get(j).jobId());
            if (done.progress().current() != (double) last[j]) {
                wrong++;
            }
        }
        System.out.println("final states equal to the worker's last call: " + (jobs - wrong) + " of " + jobs);
    }

    private static double progressRequests(Target t) throws Exception {
        return t.metric("herald_http_requests_total", "route=\"POST /progress:batch\"")
                + t.metric("herald_http_requests_total", "route=\"POST /jobs/{id}/progress\"");
    }
}
