package dev.herald.bench;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * Bytes per progress event on the wire for SSE readers, plain and gzipped ({@code Accept-Encoding: gzip}),
 * and the server's CPU per event delivered in each mode. Each round makes a running job, opens the readers,
 * then posts the updates one at a time (each awaited, so every reader keeps up and gets every update) with a
 * typical body (current, total, message); the modes alternate. Bytes are the response body as received (chunk
 * framing left out: about 7 bytes an event in both modes). CPU is trustworthy only with {@code --url} and
 * {@code --server-pid}: against the embedded server it includes these readers' own work.
 */
public final class SseBytesBench {

    public static void main(String[] args) throws Exception {
        BenchArgs a = new BenchArgs("SseBytesBench [options]", args,
                "url", null, "a running server, e.g. http://127.0.0.1:8080 (default: embedded server in this JVM)",
                "token", null, "the running server's admin token",
                "server-pid", null, "process id of the --url server: its CPU from /proc",
                "readers", "20", "SSE readers of the job in each round",
                "updates", "300", "progress updates per round",
                "rounds", "4", "rounds, alternating plain and gzip");
        Machine.printHeader("SseBytesBench");
        String pid = a.text("server-pid");
        ServerProcess server = pid == null ? null : new ServerProcess(Long.parseLong(pid));
        HttpClient http = HttpClient.newHttpClient();
        try (Target t = Target.open(a.text("url"), a.text("token"), Target.FLOOD)) {
            System.out.println(t.describe());
            System.out.println("options: " + a.effective());
            for (int round = 0; round < a.integer("rounds"); round++) {
                boolean gzip = round % 2 == 1;
                round(t, server, http, gzip, a.integer("readers"), a.integer("updates"));
            }
            System.out.println("load average (1, 5, 15 min) at end: " + Machine.loadAverage());
        }
    }

    private static void round(Target t, ServerProcess server, HttpClient http, boolean gzip, int readers,
                              int updates) throws Exception {
        String id = Target.JSON.readTree(post(t, http, "/api/v1/jobs",
                "{\"type\":\"bytes-bench\",\"name\":\"Import customers.csv\",\"status\":\"running\"}", 201))
                .get("id").asText();
        CountDownLatch snapshots = new CountDownLatch(readers);
        CountDownLatch done = new CountDownLatch(readers);
        List<Reader> all = new ArrayList<>();
        String token = t.readerToken();
        for (int i = 0; i < readers; i++) {
            all.add(new Reader(t.url(), token, http, id, gzip, updates, snapshots, done));
        }
        if (!snapshots.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("readers did not all get their snapshot");
        }
        long before = all.stream().mapToLong(r -> r.bytes.get()).sum();
        CpuWindow cpu = CpuWindow.start(t, server);
        for (int k = 1; k <= updates; k++) {
            post(t, http, "/api/v1/jobs/" + id + "/progress", "{\"current\":" + k + ",\"total\":" + updates
                    + ",\"message\":\"Importing row " + k + " of " + updates + "\"}", 202);
        }
        if (!done.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("readers did not all get every update");
        }
        cpu.stop();
        long bytes = all.stream().mapToLong(r -> r.bytes.get()).sum() - before;
        long events = (long) readers * updates;
        String mode = gzip ? "gzip " : "plain";
        System.out.printf("%s: %.1f bytes per progress event (body, %d readers x %d updates); "
                        + "server CPU %.2f µs per event delivered%n", mode, bytes / (double) events, readers,
                updates, cpu.serverMicrosPer(events));
        System.out.print(cpu.report(mode, updates));
        all.forEach(Reader::close);
    }

    private static String post(Target t, HttpClient http, String path, String body, int expect) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(t.url() + path))
                .header("Authorization", "Bearer " + t.token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expect) {
            throw new IllegalStateException(path + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    /** One SSE reader on its own thread, counting the body's bytes as received and the progress events. */
    private static final class Reader {
        final AtomicLong bytes = new AtomicLong();
        private final Thread thread;
        private volatile InputStream body;

        Reader(String url, String token, HttpClient http, String id, boolean gzip, int updates,
               CountDownLatch snapshot, CountDownLatch done) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + "/api/v1/jobs/" + id + "/events"))
                    .header("Authorization", "Bearer " + token);
            if (gzip) {
                b.header("Accept-Encoding", "gzip");
            }
            thread = new Thread(() -> read(http, b.build(), gzip, updates, snapshot, done), "sse-bytes-reader");
            thread.setDaemon(true);
            thread.start();
        }

        private void read(HttpClient http, HttpRequest request, boolean gzip, int updates, CountDownLatch snapshot,
                          CountDownLatch done) {
            try {
                HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                boolean gzipped = "gzip".equals(r.headers().firstValue("Content-Encoding").orElse(null));
                if (gzipped != gzip) {
                    throw new IllegalStateException("asked gzip " + gzip + ", got Content-Encoding gzip " + gzipped);
                }
                body = r.body();
                InputStream counted = new FilterInputStream(body) {
                    @Override
                    public int read(byte[] buf, int off, int len) throws IOException {
                        int n = super.read(buf, off, len);
                        bytes.addAndGet(Math.max(0, n));
                        return n;
                    }
                };
                InputStream in = gzip ? new GZIPInputStream(counted, 512) : counted;
                int progress = 0;
                StringBuilder line = new StringBuilder();
                byte[] buf = new byte[8192];
                int n;
                while (progress < updates && (n = in.read(buf)) > 0) {
                    for (int i = 0; i < n; i++) {
                        if (buf[i] != '\n') {
                            line.append((char) buf[i]);
                            continue;
                        }
                        String l = line.toString();
                        line.setLength(0);
                        if (l.equals("event: snapshot")) {
                            snapshot.countDown();
                        } else if (l.equals("event: progress") && ++progress == updates) {
                            done.countDown();
                        }
                    }
                }
            } catch (IOException e) {
                // closed at the end of the round
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void close() {
            try {
                InputStream b = body;
                if (b != null) {
                    b.close();
                }
            } catch (IOException e) {
                // closing anyway
            }
            thread.interrupt();
        }
    }
}
