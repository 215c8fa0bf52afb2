package dev.herald.bench;

import dev.herald.server.auth.AuthOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the server costs in memory (issue 13, goal 5), with the JVM settings of the {@code herald} launcher: starts
 * {@code herald serve} through the launcher ({@code --launcher}; {@code JAVA_OPTS} from {@code --java-opts}, none by
 * default, so the launcher's own defaults) in its own process, and reads its resident memory ({@code VmRSS} of
 * /proc/PID/status), thread count and heap after a full GC ({@code jcmd GC.run}, {@code GC.heap_info}): idle after
 * start, then with a job and keys made, then with each count of {@code --streams} idle SSE streams of that job open
 * (real connections, {@link IdleSseStreams}, read with ordinary read keys, one per as many streams as a key may
 * hold), and once more after they closed. Resident memory is read as the process sits, before the bench's GC, and
 * again after it.
 */
public final class MemoryBench {
    private static final String TOKEN = "memory-bench-token";

    private MemoryBench() {
    }

    /** One reading of the server's memory; {@code streams} open at the time. */
    private record Sample(String what, int streams, long rssKiB, long threads, long heapKiB, long rssAfterGcKiB) {
        static Sample of(ServerProcess server, String what, int streams) throws Exception {
            long rss = server.status("VmRSS");
            long threads = server.status("Threads");
            long heap = server.usedHeapAfterGc();
            return new Sample(what, streams, rss, threads, heap, server.status("VmRSS"));
        }

        void print() {
            System.out.printf("%s: RSS %,d KiB (%.1f MiB), threads %d, heap after full GC %,d KiB, RSS after that GC "
                    + "%,d KiB%n", what, rssKiB, rssKiB / 1024.0, threads, heapKiB, rssAfterGcKiB);
        }

        /** Per stream between {@code before} and this one. */
        void printPerStream(Sample before) {
            int n = streams - before.streams;
            System.out.printf("  per stream from %,d to %,d streams: RSS %.2f KiB (after GC %.2f KiB), heap %.2f KiB,"
                            + " threads %+d%n", before.streams, streams, (rssKiB - before.rssKiB) / (double) n,
                    (rssAfterGcKiB - before.rssAfterGcKiB) / (double) n, (heapKiB - before.heapKiB) / (double) n,
                    threads - before.threads);
        }
    }

    public static void main(String[] args) throws Exception {
        BenchArgs a = new BenchArgs("MemoryBench [options]", args,
                "launcher", "./herald", "the herald launcher script (its jar must be built, or it builds it)",
                "java-opts", null, "JAVA_OPTS for the server (default: unset, the launcher's own JVM settings)",
                "streams", "5000,10000", "counts of idle SSE streams to measure at, in increasing order",
                "settle-s", "5", "seconds the server sits after ready, and after the setup, before it is read",
                "idle-s", "5", "seconds the open streams sit idle before the server is read",
                "window", "200", "streams being opened (connected, snapshot not yet in) at once",
                "tmp", "/tmp", "where the server's data folder goes",
                "histogram", "0", "N > 0: print the N classes whose live objects grew most per stream, at the last count");
        Machine.printHeader("MemoryBench");
        System.out.println("options: " + a.effective());
        Path data = Files.createTempDirectory(Path.of(a.text("tmp")), "herald-memory");
        int port = freePort();
        Process process = start(a, data, port);
        try {
            measure(a, new ServerProcess(process.pid()), port);
        } finally {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            delete(data);
        }
        System.out.println("load average after: " + Machine.loadAverage());
    }

    private static Process start(BenchArgs a, Path data, int port) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(a.text("launcher"), "serve", "--port", Integer.toString(port),
                "--data", data.resolve("store").toString(), "--admin-token", TOKEN).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve("server.log").toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("HERALD_") || k.equals("JAVA_OPTS"));
        if (a.text("java-opts") != null) {
            pb.environment().put("JAVA_OPTS", a.text("java-opts"));
        }
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        var http = java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long start = System.nanoTime();
        Process p = pb.start(); // the launcher execs java: this process is the server's JVM
        while (!answers(http, ready)) {
            if (!p.isAlive() || System.nanoTime() - start > 300_000_000_000L) {
                throw new IllegalStateException("the server did not get ready: " + Files.readString(
                        data.resolve("server.log")));
            }
            Thread.sleep(5);
        }
        System.out.printf("server pid %d ready %.0f ms after its start%n", p.pid(), (System.nanoTime() - start) / 1e6);
        return p;
    }

    private static void measure(BenchArgs a, ServerProcess server, int port) throws Exception {
        String jvm = server.jcmd("VM.command_line").lines().filter(l -> l.startsWith("jvm_args"))
                .findFirst().orElse("jvm_args: (none)");
        System.out.println("server " + jvm + " (JAVA_OPTS "
                + (a.text("java-opts") == null ? "unset: the launcher's defaults" : "'" + a.text("java-opts") + "'") + ")");
        Thread.sleep(a.integer("settle-s") * 1000L);
        Sample.of(server, "idle after start", 0).print();
        List<Integer> counts = new ArrayList<>();
        for (String n : a.text("streams").split(",")) {
            counts.add(Integer.parseInt(n.trim()));
        }
        String url = "http://127.0.0.1:" + port;
        try (Target t = Target.open(url, TOKEN);
             IdleSseStreams streams = new IdleSseStreams(new InetSocketAddress("127.0.0.1", port),
                     a.integer("window"))) {
            System.out.println(t.describe());
            HttpClient producer = t.vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true));
            String path = "/api/v1/jobs/" + t.createRunningJob(producer, "bench-memory") + "/events";
            Thread.sleep(a.integer("settle-s") * 1000L);
            Sample base = Sample.of(server, "job and keys made, 0 streams", 0);
            base.print();
            boolean nmt = a.text("java-opts") != null && a.text("java-opts").contains("NativeMemoryTracking");
            printNativeMemory(server, nmt);
            int top = a.integer("histogram");
            HeapHistogram baseHistogram = top > 0 ? HeapHistogram.of(server) : null;
            Sample before = base;
            int perKey = AuthOptions.defaults().maxStreamsPerCredential();
            String key = null;
            int asked = 0;
            for (int n : counts) {
                long openStart = System.nanoTime();
                for (; asked < n; asked++) {
                    key = asked % perKey == 0 ? t.readerToken() : key;
                    streams.open(path, key);
                }
                if (!streams.await(n, 300, TimeUnit.SECONDS)) {
                    System.out.println("only " + streams.open() + " streams open after 300 s");
                }
                System.out.printf("%,d streams open (%d refused, %d lost) in %.1f s%n", streams.open(),
                        streams.failed(), streams.lost(), (System.nanoTime() - openStart) / 1e9);
                Thread.sleep(a.integer("idle-s") * 1000L);
                Sample s = Sample.of(server, String.format("%,d idle streams", streams.open()), streams.open());
                s.print();
                s.printPerStream(base);
                if (before != base) {
                    s.printPerStream(before);
                }
                before = s;
                printNativeMemory(server, nmt);
            }
            if (top > 0) {
                HeapHistogram.of(server).printGrowth(baseHistogram, streams.open(), top);
            }
        }
        // what the streams leave behind: memory the process keeps is memory an idle server holds after a busy hour
        Thread.sleep(a.integer("settle-s") * 1000L);
        Sample.of(server, "streams closed, idle again", 0).print();
    }

    /** With NMT on (in --java-opts), the JVM's committed memory by category: where the resident memory went. */
    private static void printNativeMemory(ServerProcess server, boolean nmt) throws Exception {
        if (nmt) {
            server.jcmd("VM.native_memory summary").lines().filter(l -> l.startsWith("Total") || l.startsWith("-"))
                    .forEach(l -> System.out.println("  NMT " + l.trim().replaceAll("\\s+", " ")));
        }
    }

    private static boolean answers(java.net.http.HttpClient http, HttpRequest ready) throws InterruptedException {
        try {
            return http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
