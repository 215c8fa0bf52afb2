package dev.herald.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server running in its own JVM ({@code --url} with {@code --server-pid}), watched from
 * outside by its process id: its used heap through {@code jcmd}, its CPU time and memory from /proc.
 */
final class ServerProcess {
    /** A generation's (Serial, Parallel) or the whole heap's (G1) line; Metaspace's has no "total". */
    private static final Pattern USED = Pattern.compile("total \\d+K, used (\\d+)K");

    private final long pid;

    ServerProcess(long pid) {
        this.pid = pid;
    }

    long pid() {
        return pid;
    }

    /** The process's used heap in KiB, right after a full GC requested through jcmd (two, to settle). */
    long usedHeapAfterGc() throws IOException, InterruptedException {
        jcmd("GC.run");
        jcmd("GC.run");
        String info = jcmd("GC.heap_info");
        Matcher m = USED.matcher(info);
        long used = -1;
        while (m.find()) {
            used = Math.max(used, 0) + Long.parseLong(m.group(1));
        }
        if (used < 0) {
            throw new IllegalStateException("no 'total NK, used NK' in jcmd GC.heap_info:\n" + info);
        }
        return used;
    }

    /** A figure of /proc/PID/status, e.g. {@code VmRSS} (KiB) or {@code Threads}; -1 when it cannot be read. */
    long status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process is gone, or not Linux
        }
        return -1;
    }

    /** User plus system CPU of the process so far, in clock ticks (100 per second on Linux), from /proc. */
    long cpuTicks() {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * CPU so far of the process's threads whose name starts with {@code prefix} (e.g. {@code "C2 CompilerThre"},
     * as /proc truncates it), in clock ticks; -1 when it cannot be read.
     */
    long threadTicks(String prefix) {
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            long sum = 0;
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (name.startsWith(prefix)) {
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        sum += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    }
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
            return sum;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    String jcmd(String command) throws IOException, InterruptedException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process p = new ProcessBuilder(jcmd, Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + pid + " " + command + " failed:\n" + out);
        }
        return out;
    }
}
