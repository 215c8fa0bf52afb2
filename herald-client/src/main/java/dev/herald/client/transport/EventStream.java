package dev.herald.client.transport;

/** An open stream of events from {@link Transport#events}. */
public interface EventStream extends AutoCloseable {

    /** Ends the stream; its sink may still get the call it is in, and {@code closed}. Safe to call twice. */
    @Override
    void close();
}
