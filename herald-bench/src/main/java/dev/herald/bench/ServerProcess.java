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
 * outside by its process id: its used heap through {@code jcmd}, its CPU time from /proc.
 */
final class ServerProcess {
    private static final Pattern USED = Pattern.compile("used (\\d+)K");

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
        if (!m.find()) {
            throw new IllegalStateException("no 'used NK' in jcmd GC.heap_info:\n" + info);
        }
        return Long.parseLong(m.group(1));
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

    private String jcmd(String command) throws IOException, InterruptedException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process p = new ProcessBuilder(jcmd, Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + pid + " " + command + " failed:\n" + out);
        }
        return out;
    }
}
