package dev.herald.server.support;

import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * A real Server-Sent Events reader over HTTP: parses the stream as a browser's
 * EventSource does (id, event, data, retry, comments) on its own thread.
 */
public final class SseClient implements AutoCloseable {

    /** One event as a browser would see it; {@code comment} events carry the comment text in data. */
    public record Event(String id, String event, String data) {
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final HttpResponse<java.io.InputStream> response;
    private final Thread reader;
    private volatile Integer retry;
    private volatile boolean ended;
    private volatile IOException failure;
    private final AtomicLong received = new AtomicLong();

    private SseClient(HttpResponse<java.io.InputStream> response) {
        this.response = response;
        this.reader = new Thread(this::read, "sse-client");
        this.reader.setDaemon(true);
        if (response.statusCode() == 200) {
            this.reader.start();
        }
    }

    public static SseClient open(HttpClient http, URI uri, String token, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        headers.forEach(b::header);
        try {
            return new SseClient(http.send(b.GET().build(), HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static SseClient open(TestServer server, String pathAndQuery) {
        return open(server.client(), server.uri(pathAndQuery), TestServer.TOKEN, Map.of());
    }

    public int status() {
        return response.statusCode();
    }

    public String header(String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    /** The body of a refused stream. */
    public String errorBody() {
        try {
            return new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Bytes received on the wire (after chunked framing, before any content decoding). */
    public long bytesReceived() {
        return received.get();
    }

    /** The body as sent, counted; inflated as it comes when the server gzipped it. */
    private InputStream body() throws IOException {
        InputStream counted = new FilterInputStream(response.body()) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    received.incrementAndGet();
                }
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = super.read(buf, off, len);
                if (n > 0) {
                    received.addAndGet(n);
                }
                return n;
            }
        };
        boolean gzip = "gzip".equalsIgnoreCase(header("Content-Encoding"));
        if (!gzip) {
            return counted;
        }
        // an InflaterInputStream says a byte is available until its end, so a reader would wait for more
        return new FilterInputStream(new GZIPInputStream(counted, 512)) {
            @Override
            public int available() {
                return 0;
            }
        };
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(body(), StandardCharsets.UTF_8))) {
            String id = null;
            String event = null;
            StringBuilder data = null;
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Event(id, event == null ? "message" : event, data.toString()));
                    }
                    event = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    events.add(new Event(null, "comment", line.substring(1).trim()));
                } else {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1);
                    if (value.startsWith(" ")) {
                        value = value.substring(1);
                    }
                    switch (field) {
                        case "id" -> id = value;
                        case "event" -> event = value;
                        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                        case "retry" -> retry = Integer.parseInt(value);
                        default -> { }
                    }
                }
            }
        } catch (IOException e) {
            // the connection ended; ended tells the test, failure how
            failure = e;
        } finally {
            ended = true;
        }
    }

    /** The next event that is not a comment, or null after the timeout. */
    public Event next(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                Event e = events.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
                if (e == null || !e.event().equals("comment")) {
                    return e;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The next event including comments, or null after the timeout. */
    public Event nextAny(Duration timeout) {
        try {
            return events.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Events received so far and not yet taken. */
    public List<Event> drain() {
        List<Event> out = new ArrayList<>();
        events.drainTo(out);
        return out;
    }

    public Integer retry() {
        return retry;
    }

    /** How the body broke off (reset, a corrupt gzip stream), or null if it ended cleanly or goes on. */
    public IOException failure() {
        return failure;
    }

    public boolean ended() {
        return ended;
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException e) {
            // closing anyway
        }
        reader.interrupt();
    }
}
