package dev.herald.bench;

import java.util.Locale;

/**
 * The CPU a measured window got on a cluster of node processes ({@link ClusterNodes}): each node's from
 * /proc/PID/stat, this JVM's (the client), and the machine's idle share from /proc/stat, as {@link CpuWindow} does
 * for one server.
 */
final class NodesCpu {
    /** Cores the nodes' C2 compilers may take in a window said to be warm. */
    private static final double COMPILING = 0.05;

    private final ClusterNodes cluster;
    private final long[] nodes0;
    private final long[] compiler0;
    private long[] compilerTicks;
    private final long jvm0 = Machine.processCpuNanos();
    private final long[] machine0 = CpuWindow.machineTicks();
    private final long wall0 = System.nanoTime();
    private long[] nodeTicks;
    private long jvmNanos;
    private long[] machine1;
    private double seconds;

    private NodesCpu(ClusterNodes cluster) {
        this.cluster = cluster;
        this.nodes0 = cluster.cpuTicks();
        this.compiler0 = cluster.compilerTicks();
    }

    static NodesCpu start(ClusterNodes cluster) {
        return new NodesCpu(cluster);
    }

    void stop() {
        seconds = (System.nanoTime() - wall0) / 1e9;
        jvmNanos = Machine.processCpuNanos() - jvm0;
        long[] now = cluster.cpuTicks();
        nodeTicks = new long[now.length];
        for (int i = 0; i < now.length; i++) {
            nodeTicks[i] = now[i] - nodes0[i];
        }
        long[] compiled = cluster.compilerTicks();
        compilerTicks = new long[compiled.length];
        for (int i = 0; i < compiled.length; i++) {
            compilerTicks[i] = compiled[i] - compiler0[i];
        }
        machine1 = CpuWindow.machineTicks();
    }

    private double nodesNanos() {
        long sum = 0;
        for (long t : nodeTicks) {
            sum += t;
        }
        return sum * CpuWindow.TICK_NANOS;
    }

    /** The nodes' CPU per unit of work, in microseconds. */
    double microsPer(long units) {
        return units <= 0 ? Double.NaN : nodesNanos() / 1e3 / units;
    }

    /**
     * The nodes' C2 compiler threads in the window: a node still compiling spends cores on the JIT that a warm one
     * spends on the work, so its figure is warm-up's, not Herald's steady state.
     */
    private String compiling(String name, String unit, long units) {
        StringBuilder b = new StringBuilder(name + ": nodes' C2 compiler threads used ");
        double total = 0;
        for (int i = 0; i < compilerTicks.length; i++) {
            double cores = compilerTicks[i] * CpuWindow.TICK_NANOS / 1e9 / seconds;
            total += cores;
            b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "node %d %.2f", i, cores));
        }
        b.append(" cores");
        long compiled = 0;
        for (long t : compilerTicks) {
            compiled += t;
        }
        if (units > 0) {
            b.append(String.format(Locale.ROOT, "; without them %.1f µs per %s", (nodesNanos()
                    - compiled * CpuWindow.TICK_NANOS) / 1e3 / units, unit));
        }
        if (total > COMPILING) {
            b.append(" (STILL COMPILING: warm up longer, the figures above include the JIT's warm-up)");
        }
        return b.append(System.lineSeparator()).toString();
    }

    /** Lines: the nodes' CPU per unit, each node's cores, the client's, and what the machine had to give. */
    String report(String name, String unit, long units) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "%s: nodes' CPU %.1f µs per %s (all node processes, /proc/PID/stat); nodes used %.2f cores (",
                name, microsPer(units), unit, nodesNanos() / 1e9 / seconds));
        for (int i = 0; i < nodeTicks.length; i++) {
            b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "node %d %.2f", i,
                    nodeTicks[i] * CpuWindow.TICK_NANOS / 1e9 / seconds));
        }
        b.append(String.format(Locale.ROOT, "), the client JVM %.2f cores%n", jvmNanos / 1e9 / seconds));
        b.append(compiling(name, unit, units));
        if (machine0 != null && machine1 != null) {
            double total = machine1[0] - machine0[0];
            double idle = machine1[1] - machine0[1];
            double busy = (total - idle) * CpuWindow.TICK_NANOS / 1e9 / seconds;
            double ours = (nodesNanos() + jvmNanos) / 1e9 / seconds;
            b.append(String.format(Locale.ROOT, "%s: machine CPU during the window: %.0f%% idle of %d cores; other "
                            + "processes (PostgreSQL, Redis, other work) used %.2f cores%s%n", name,
                    100 * idle / Math.max(1, total), Runtime.getRuntime().availableProcessors(),
                    Math.max(0, busy - ours), idle / Math.max(1, total) < 0.05
                            ? " (STARVED: no idle CPU, the figures above are the machine's)" : ""));
        }
        return b.toString();
    }
}
