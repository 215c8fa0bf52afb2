package dev.herald.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The CPU a measured window got, so that a figure is never read without it: the server's (its process from
 * /proc/PID/stat when it runs in its own JVM, else this JVM less the client's event loop), this JVM's, and the
 * whole machine's idle share from /proc/stat. A run on a machine other work kept busy shows as such.
 */
final class CpuWindow {
    /** Clock ticks a second of /proc's CPU times (USER_HZ, 100 on Linux). */
    static final double TICK_NANOS = 1e9 / 100;

    private final ServerProcess server;
    private final long clientLoop;
    private final long serverTicks0;
    private final long jvm0;
    private final long loop0;
    private final long[] machine0;
    private final long wall0 = System.nanoTime();
    private long serverNanos;
    private long jvmNanos;
    private long[] machine1;
    private long wall;

    private CpuWindow(ServerProcess server, long clientLoop) {
        this.server = server;
        this.clientLoop = clientLoop;
        this.serverTicks0 = server == null ? -1 : server.cpuTicks();
        this.jvm0 = Machine.processCpuNanos();
        this.loop0 = threadCpu(clientLoop);
        this.machine0 = machineTicks();
    }

    /** Starts counting; {@code server} is null for the embedded server. */
    static CpuWindow start(Target t, ServerProcess server) throws Exception {
        CompletableFuture<Long> loop = new CompletableFuture<>();
        t.context.runOnContext(v -> loop.complete(Thread.currentThread().getId()));
        return new CpuWindow(server, loop.get(10, TimeUnit.SECONDS));
    }

    void stop() {
        wall = System.nanoTime() - wall0;
        jvmNanos = Machine.processCpuNanos() - jvm0;
        serverNanos = server != null ? (long) ((server.cpuTicks() - serverTicks0) * TICK_NANOS)
                : jvmNanos - (threadCpu(clientLoop) - loop0);
        machine1 = machineTicks();
    }

    /** Server CPU per unit of work, in microseconds. */
    double serverMicrosPer(long units) {
        return units <= 0 ? Double.NaN : serverNanos / 1e3 / units;
    }

    /** Two lines: the server's CPU per update, and the CPU the machine had to give. */
    String report(String name, long updates) {
        int cores = Runtime.getRuntime().availableProcessors();
        double seconds = wall / 1e9;
        String serverSide = server != null ? "server process (/proc/" + server.pid() + "/stat)"
                : "embedded server (this JVM less the client's event loop: GC and JIT included)";
        StringBuilder b = new StringBuilder(String.format(
                "%s: server CPU %.1f µs per update; %s used %.2f cores, this JVM %.2f cores%n", name,
                serverMicrosPer(updates), serverSide, serverNanos / 1e9 / seconds, jvmNanos / 1e9 / seconds));
        if (machine0 != null && machine1 != null) {
            double total = machine1[0] - machine0[0];
            double idle = machine1[1] - machine0[1];
            double busyCores = (total - idle) * TICK_NANOS / 1e9 / seconds;
            double ours = (server != null ? serverNanos + jvmNanos : jvmNanos) / 1e9 / seconds;
            b.append(String.format("%s: machine CPU during the window: %.0f%% idle of %d cores; other processes "
                            + "used %.2f cores%s%n", name, 100 * idle / Math.max(1, total), cores,
                    Math.max(0, busyCores - ours), idle / Math.max(1, total) < 0.05
                            ? " (STARVED: no idle CPU, the figures above are the machine's, not Herald's)" : ""));
        }
        return b.toString();
    }

    private static long threadCpu(long id) {
        var threads = ManagementFactory.getThreadMXBean();
        return threads.isThreadCpuTimeSupported() ? Math.max(0, threads.getThreadCpuTime(id)) : 0;
    }

    /** All CPU ticks and the idle ones (idle plus iowait) of the machine so far, or null off Linux. */
    static long[] machineTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) { // user..steal; guest time is inside user already
                total += Long.parseLong(f[i]);
            }
            return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
