package dev.herald.server.stream;

/** Where a stream's events go: an SSE response or a WebSocket. Called on the connection's context only. */
public interface StreamTransport {

    void write(EncodedEvent event);

    /** Until {@link #release}, writes may wait in the connection to go out together. */
    default void hold() {
    }

    /** Sends what {@link #hold} kept back. */
    default void release() {
    }

    boolean writeQueueFull();

    /** Runs {@code resume} once the transport can take more. */
    void onDrain(Runnable resume);

    /** Ends the stream because the reader fell too far behind; it resumes with its cursor. */
    void overflow();
}
