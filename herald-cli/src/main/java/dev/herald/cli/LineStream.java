package dev.herald.cli;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The lines of a streaming answer (Server-Sent Events), read by a daemon thread so that the reader can
 * wait with a timeout (to notice a silent, half-open connection) and give up.
 */
final class LineStream implements AutoCloseable {
    private static final Object END = new Object();

    private final Stream<String> lines;
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private volatile boolean closed;

    private LineStream(Stream<String> lines) {
        this.lines = lines;
        Thread reader = new Thread(this::pump, "herald-sse-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** The lines of a 200 answer; any other status throws {@link ApiException} with the server's message. */
    static LineStream of(HttpResponse<Stream<String>> response) {
        if (response.statusCode() != 200) {
            StringBuilder body = new StringBuilder();
            try (Stream<String> lines = response.body()) {
                lines.limit(200).forEach(l -> body.append(l).append('\n'));
            } catch (UncheckedIOException ignored) {
                // keep what we have
            }
            throw ApiException.answered(response.statusCode(), body.toString(),
                    response.headers().firstValue("Retry-After").orElse(null));
        }
        return new LineStream(response.body());
    }

    private void pump() {
        try {
            Iterator<String> it = lines.iterator();
            while (!closed && it.hasNext()) {
                queue.add(it.next());
            }
            queue.add(END);
        } catch (RuntimeException e) {
            queue.add(e.getCause() instanceof IOException io ? io : new IOException(e.getMessage(), e));
        }
    }

    /**
     * The next line; null when none came within {@code timeoutMs}.
     *
     * @throws EOFException when the server ended the stream
     * @throws IOException  when the connection broke
     */
    String next(long timeoutMs) throws IOException, InterruptedException {
        Object o = queue.poll(timeoutMs, TimeUnit.MILLISECONDS);
        if (o == null) {
            return null;
        }
        if (o == END) {
            queue.add(END);
            throw new EOFException("the server ended the stream");
        }
        if (o instanceof IOException e) {
            queue.add(e);
            throw e;
        }
        return (String) o;
    }

    /** Stops reading; the connection is released in the background (closing may block on a dead socket). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Thread closer = new Thread(() -> {
            try {
                lines.close();
            } catch (RuntimeException ignored) {
                // nothing to do
            }
        }, "herald-sse-close");
        closer.setDaemon(true);
        closer.start();
    }
}
