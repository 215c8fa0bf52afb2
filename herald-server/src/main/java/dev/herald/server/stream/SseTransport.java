package dev.herald.server.stream;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/** A stream written as Server-Sent Events on one HTTP response (API §3), gzipped when the client asked. */
public final class SseTransport implements StreamTransport {
    private static final Buffer KEEP_ALIVE = Buffer.buffer(": keep-alive\n\n");
    private static final Buffer RETRY = Buffer.buffer("retry: 2000\n\n");

    private final HttpServerResponse response;
    private final Context context;
    private final Runnable onEvent;
    /** Null for a plain stream. */
    private final SseGzip gzip;
    /** Null where events go through the response (see {@link Chunks#of}); set once the headers are written. */
    private Chunks chunks;
    /** Whether chunks wait for {@link #release} to be flushed, and whether some do. On the context. */
    private boolean holding;
    private boolean unflushed;
    /** Real time ({@link System#nanoTime}), like the timer that compares it with the keep-alive: not wall time. */
    private volatile long lastWriteNanos = System.nanoTime();

    /**
     * @param onEvent told of every event written, for metrics
     * @param gzip    whether to send the stream gzipped, each event flushed on its own
     */
    public SseTransport(HttpServerResponse response, Context context, Runnable onEvent, boolean gzip) {
        this.response = response;
        this.context = context;
        this.onEvent = onEvent;
        this.gzip = gzip ? new SseGzip() : null;
    }

    /**
     * Starts the stream: headers, and how long a client should wait before reconnecting. On a plain HTTP/1.1
     * pipeline (see {@link Chunks#of}) the head is encoded by now, so both header maps are emptied: an idle stream
     * would hold them, and the request's strings, for its whole life.
     */
    public void open(HttpServerRequest request) {
        response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("Vary", "Accept-Encoding")
                .putHeader("X-Accel-Buffering", "no");
        if (gzip != null) {
            response.putHeader("Content-Encoding", "gzip").write(gzip.start(RETRY));
        } else {
            response.write(RETRY);
        }
        chunks = Chunks.of(request);
        lastWriteNanos = System.nanoTime();
        if (chunks != null) {
            request.headers().clear();
            response.headers().clear();
        }
    }

    @Override
    public void write(EncodedEvent event) {
        if (response.closed()) {
            return;
        }
        Buffer bytes = gzip != null ? gzip.event(event) : event.sseFrame();
        if (chunks != null) {
            chunks.write(event.chunk(bytes), !holding);
            unflushed |= holding;
        } else {
            response.write(bytes);
        }
        lastWriteNanos = System.nanoTime();
        onEvent.run();
    }

    @Override
    public void hold() {
        holding = true;
    }

    @Override
    public void release() {
        holding = false;
        if (unflushed) {
            unflushed = false;
            chunks.flush();
        }
    }

    /**
     * Chunks held back count toward the connection's queue: they are flushed first, so that only a queue the socket
     * cannot take makes a reader's states conflate.
     */
    @Override
    public boolean writeQueueFull() {
        if (response.closed()) {
            return false;
        }
        if (unflushed && response.writeQueueFull()) {
            unflushed = false;
            chunks.flush();
        }
        return response.writeQueueFull();
    }

    @Override
    public void onDrain(Runnable resume) {
        response.drainHandler(v -> {
            response.drainHandler(null);
            resume.run();
        });
    }

    /** Closes the connection at once: queued bytes would only delay a reader that is already too far behind. */
    @Override
    public void overflow() {
        response.reset();
    }

    /** Ends the stream with a comment saying why. On the context. */
    public void end(String reason) {
        if (response.ended()) {
            return;
        }
        Buffer text = Buffer.buffer(": " + reason + "\n\n");
        // a stream not yet started ends plain, whatever was negotiated
        response.end(gzip != null && response.headWritten() ? gzip.end(text) : text);
    }

    /** Sends a comment if the stream has been silent for {@code silenceNanos}; callable from any thread. */
    public void keepAlive(long silenceNanos) {
        if (System.nanoTime() - lastWriteNanos < silenceNanos) {
            return;
        }
        context.runOnContext(v -> {
            if (!response.closed() && !response.writeQueueFull()) {
                response.write(gzip != null ? gzip.write(KEEP_ALIVE) : KEEP_ALIVE);
                lastWriteNanos = System.nanoTime();
            }
        });
    }
}
