package dev.herald.bench;

import dev.herald.client.transport.HttpTransport;
import dev.herald.client.transport.Transport;
import dev.herald.core.command.ClaimRequest;
import dev.herald.core.command.NewJob;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The raw claim loop of API §9 over HTTP, as a runner will drive it: {@code --jobs} queued jobs, then for each
 * count of {@code --workers} that many threads claim ({@code waitMs} 0) and complete under the lease until none
 * is left. Reports jobs claimed and completed per second and the claim's latency. Creating the jobs is not
 * measured. No handler work: what it measures is the server's claim and completion path.
 */
public final class ClaimBench {
    public static void main(String[] args) throws Exception {
        BenchArgs a = new BenchArgs("ClaimBench [options]", args,
                "url", null, "a running server (default: one started in this JVM, embedded store)",
                "token", null, "its token",
                "jobs", "2000", "jobs queued for each round",
                "workers", "1,2,4,8", "the worker counts to run, one round each");
        Machine.printHeader("ClaimBench");
        System.out.println("options: " + a.effective());
        try (Target target = Target.open(a.text("url"), a.text("token"));
             Transport http = new HttpTransport(target.url(), target.token, Duration.ofSeconds(30))) {
            System.out.println("target: " + target.describe());
            for (String count : a.text("workers").split(",")) {
                round(http, a.integer("jobs"), Integer.parseInt(count.trim()));
            }
        }
    }

    private static void round(Transport http, int jobs, int workers) throws Exception {
        String type = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        ExecutorService threads = Executors.newFixedThreadPool(Math.max(workers, 8));
        try {
            List<Future<?>> creating = new ArrayList<>();
            AtomicInteger left = new AtomicInteger(jobs);
            for (int t = 0; t < 8; t++) {
                creating.add(threads.submit(() -> {
                    while (left.getAndDecrement() > 0) {
                        http.create(new NewJob(type, null, null, null, null, null, null, null, null, false,
                                JobStatus.QUEUED, 1, null), null);
                    }
                }));
            }
            for (Future<?> f : creating) {
                f.get();
            }
            Histogram claims = new Histogram();
            AtomicInteger done = new AtomicInteger();
            List<Future<?>> working = new ArrayList<>();
            long start = System.nanoTime();
            for (int w = 0; w < workers; w++) {
                ClaimRequest request = new ClaimRequest(Set.of(type), null, "bench-" + w, 60_000, 0);
                working.add(threads.submit(() -> {
                    while (true) {
                        long asked = System.nanoTime();
                        Job job = http.claim(request);
                        claims.record(System.nanoTime() - asked);
                        if (job == null) {
                            return;
                        }
                        http.leased(job.lease().token()).complete(job.id(), null);
                        done.incrementAndGet();
                    }
                }));
            }
            for (Future<?> f : working) {
                f.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "workers %d: %d jobs in %.2f s = %.0f jobs/s claimed and completed;"
                    + " claim %s%n", workers, done.get(), seconds, done.get() / seconds, claims.summaryMillis());
        } finally {
            threads.shutdown();
        }
    }
}
