package dev.herald.client.transport;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.HeraldException;

/**
 * Where an {@link EventStream} delivers, on a thread of the transport's, one call at a time and in the stream's
 * order. Calls must return quickly: the stream reads no further meanwhile.
 */
public interface EventSink {

    /**
     * An event, and its cursor: the opaque position a new stream of the same query resumes after
     * ({@code Last-Event-ID}). Events of one job come in version order; after a resume some may come again.
     */
    void event(JobEvent event, String cursor);

    /** A sign of life without an event: the stream's opening words, a keep-alive. */
    void alive();

    /**
     * The stream ended; called once, last. {@code error} is null when the server ended it; a
     * {@link ServerUnreachableException} when no connection could be made; another {@link RetryableException}
     * when it failed in a way that may pass (a dropped connection, a proxy's 502, an answer that is not a
     * stream); any other {@link HeraldException} when the server refused it ({@code unauthorized},
     * {@code not_found}, ...).
     */
    void closed(HeraldException error);
}
