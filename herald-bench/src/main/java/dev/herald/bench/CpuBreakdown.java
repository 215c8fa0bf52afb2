package dev.herald.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The CPU time this JVM used during {@link HierarchyBench}'s burst, from {@link #start} to
 * {@link #stop}: split between the client's own threads and the rest (the embedded server,
 * GC and JIT), the rest by thread name, with the time GC and the JIT compiler took meanwhile.
 */
final class CpuBreakdown {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final Map<Long, String> NAMES = new ConcurrentHashMap<>();
    /** java.net.http's selector and workers, and the SDK watch's delivery and timer threads. */
    private static final Pattern SDK_THREADS = Pattern.compile("^(HttpClient-|herald-watch-)");

    private final Set<Long> clientThreads;
    private final Map<Long, Long> cpuBefore;
    private final long gcBefore;
    private final long jitBefore;
    private final long processBefore;
    private long processAfter;
    private long gc;
    private long jit;
    private Map<Long, Long> cpuAfter;

    private CpuBreakdown(Set<Long> clientThreads) {
        this.clientThreads = clientThreads;
        this.cpuBefore = threadCpu();
        this.gcBefore = gcMillis();
        this.jitBefore = jitMillis();
        this.processBefore = Machine.processCpuNanos();
    }

    /**
     * Starts counting; the client's threads are the target's event loop, this (main) one and the SDK reader's
     * (its HTTP client's and its watch's, known by name).
     */
    static CpuBreakdown start(Target t) throws Exception {
        CompletableFuture<Long> loop = new CompletableFuture<>();
        t.context.runOnContext(v -> loop.complete(Thread.currentThread().getId()));
        return new CpuBreakdown(Set.of(loop.get(10, TimeUnit.SECONDS), Thread.currentThread().getId()));
    }

    void stop() {
        processAfter = Machine.processCpuNanos();
        gc = gcMillis() - gcBefore;
        jit = jitMillis() - jitBefore;
        cpuAfter = threadCpu();
    }

    /** Prints the breakdown of the {@code wall} seconds between start and stop. */
    void print(double wall) {
        long clientCpu = 0;
        long total = 0;
        Map<String, Long> serverByGroup = new TreeMap<>();
        for (Map.Entry<Long, Long> e : cpuAfter.entrySet()) {
            long delta = e.getValue() - cpuBefore.getOrDefault(e.getKey(), 0L);
            total += delta;
            if (clientThreads.contains(e.getKey()) || SDK_THREADS.matcher(NAMES.getOrDefault(e.getKey(), "")).find()) {
                clientCpu += delta;
            } else {
                serverByGroup.merge(group(e.getKey()), delta, Long::sum);
            }
        }
        long process = processAfter - processBefore;
        System.out.printf("CPU during the burst (%.2f s): this JVM %.2f s (%.2f of %d cores); client threads "
                        + "(its event loop, the SDK reader, main) %.2f s; everything else (the embedded server, "
                        + "GC, JIT) %.2f s%n",
                wall, process / 1e9, process / 1e9 / wall, Runtime.getRuntime().availableProcessors(),
                clientCpu / 1e9, (process - clientCpu) / 1e9);
        StringBuilder groups = new StringBuilder();
        serverByGroup.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue(), x.getValue()))
                .filter(e -> e.getValue() >= 5_000_000L)
                .forEach(e -> groups.append(groups.isEmpty() ? "" : ", ").append(e.getKey()).append(' ')
                        .append(String.format("%.2f s", e.getValue() / 1e9)));
        System.out.printf("  of which by thread (>= 5 ms, threads alive at the end): %s; not attributed to a "
                + "Java thread (GC, JIT compiler, threads that ended): %.2f s%n", groups, (process - total) / 1e9);
        System.out.printf("  GC: %d ms of collections (elapsed, not CPU); JIT compilation: %d ms%n", gc, jit);
    }

    private static long gcMillis() {
        long total = 0;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    private static long jitMillis() {
        var jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }

    private static Map<Long, Long> threadCpu() {
        Map<Long, Long> out = new HashMap<>();
        if (!THREADS.isThreadCpuTimeSupported()) {
            return out;
        }
        for (long id : THREADS.getAllThreadIds()) {
            long cpu = THREADS.getThreadCpuTime(id);
            var info = THREADS.getThreadInfo(id);
            if (cpu >= 0 && info != null) {
                out.put(id, cpu);
                NAMES.put(id, info.getThreadName());
            }
        }
        return out;
    }

    /** A thread's name without its number: "herald-store-read-3" -> "herald-store-read". */
    private static String group(long id) {
        return NAMES.getOrDefault(id, "?").replaceAll("[-#]?\\d+$", "");
    }
}
