package dev.herald.bench;

import dev.herald.client.Herald;
import dev.herald.client.JobSpec;
import dev.herald.client.Watch;
import dev.herald.client.WatchRequest;
import dev.herald.core.event.EventType;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One SDK {@link Watch} of many jobs (SDK.md §5): that it is one connection, counted by the server's
 * {@code herald_streams_open} gauge, and what each watched job costs in heap. The heap is read in this JVM after
 * a full GC with the jobs created and no watch, and again with the watch open and every job's snapshot in; the
 * difference divided by the jobs is the cost per watched job. Against the embedded server that is the client's
 * and the server's share together (one JVM); with {@code --url} it is the client's alone.
 */
public final class WatchBench {

    public static void main(String[] args) throws Exception {
        BenchArgs a = new BenchArgs("WatchBench [options]", args,
                "url", null, "a running server, e.g. http://127.0.0.1:8080 (default: embedded server in this JVM)",
                "token", null, "the running server's admin token",
                "jobs", "1000", "jobs in the one watch (the server allows 1000 per stream)");
        Machine.printHeader("WatchBench");
        try (Target t = Target.open(a.text("url"), a.text("token"));
             Herald herald = Herald.remote(t.url(), t.token)) {
            System.out.println(t.describe());
            System.out.println("options: " + a.effective());
            int n = a.integer("jobs");
            List<String> ids = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                ids.add(herald.create(JobSpec.of("watch-bench")).id());
            }
            double streamsBefore = t.metric("herald_streams_open", "transport=\"sse\"");
            long heapBefore = usedHeapAfterGc();
            Set<String> snapshots = ConcurrentHashMap.newKeySet();
            CountDownLatch all = new CountDownLatch(n);
            long opening = System.nanoTime();
            Watch watch = herald.watch(WatchRequest.jobs(ids), e -> {
                if (e.type() == EventType.SNAPSHOT && snapshots.add(e.jobId())) {
                    all.countDown();
                }
            });
            if (!all.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("only " + snapshots.size() + " of " + n + " snapshots in 60 s");
            }
            long opened = System.nanoTime() - opening;
            long heapOpen = usedHeapAfterGc();
            double streams = t.metric("herald_streams_open", "transport=\"sse\"") - streamsBefore;
            System.out.printf("watch of %d jobs: every snapshot in after %s ms; streams opened at the server: %.0f%n",
                    n, Histogram.ms(opened), streams);
            System.out.printf("heap after GC: %d KiB without the watch, %d KiB with it: %.0f bytes per watched job%s%n",
                    heapBefore / 1024, heapOpen / 1024, (heapOpen - heapBefore) / (double) n,
                    t.embedded() != null ? " (client and embedded server together)" : " (client only)");
            System.out.println("load average (1, 5, 15 min) at end: " + Machine.loadAverage());
            watch.close();
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
