package dev.herald.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The machine a benchmark ran on, printed with its figures so that they are never read without it. */
public final class Machine {
    private Machine() {
    }

    /** One line: CPU model, cores, JVM, max heap, OS. */
    public static String describe() {
        Runtime rt = Runtime.getRuntime();
        return String.format("machine: %s, %d cores | JVM %s %s (%s) | max heap %d MiB | %s %s %s",
                cpuModel(), rt.availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                System.getProperty("java.vm.vendor"),
                rt.maxMemory() / (1024 * 1024),
                System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("os.arch"));
    }

    /** Prints the header every benchmark starts with: its name, the time and the machine. */
    public static void printHeader(String benchmark) {
        System.out.println("== " + benchmark + " ==");
        System.out.println("run at: " + OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        System.out.println(describe());
        System.out.println("load average (1, 5, 15 min) at start: " + loadAverage());
    }

    /** The system's load averages from /proc/loadavg: other work on the machine skews every figure. */
    public static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + ", " + f[1] + ", " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** CPU time this JVM has used so far, in nanoseconds (client and, when embedded, server). */
    public static long processCpuNanos() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or /proc is not readable: fall through
        }
        return "unknown CPU (" + System.getProperty("os.arch") + ")";
    }
}
