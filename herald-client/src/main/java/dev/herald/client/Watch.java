package dev.herald.client;

import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * Jobs followed as they change (SDK.md §5), from {@link Herald#watch}: their events reach a listener.
 *
 * <pre>{@code
 * Watch w = herald.watch(WatchRequest.job(id).descendants().types(STATUS, LOG), event -> {
 *     if (event.type() == EventType.LOG) System.out.println(event.log().message());
 *     else System.out.println(event.job().status() + " " + event.job().progress().percent());
 * });
 * ...
 * w.close();
 * }</pre>
 *
 * <ul>
 * <li><b>Order.</b> The listener sees each job's events in version order and never the same one twice: a job's
 *     state never goes back, a log line never comes again. It is called by one thread at a time per watch, a
 *     thread of the client's delivery pool and never a network thread, so a slow listener slows its own watch
 *     and no other. The first event of each job is a {@code snapshot} of its state.</li>
 * <li><b>Reconnection.</b> After any drop the watch reconnects by itself with the position of the last event it
 *     had ({@code Last-Event-ID}), waiting 0.5 s to 20 s (full jitter) between attempts while the server
 *     cannot be reached, and delivers every {@code status} and {@code log} event it missed before newer state:
 *     across a server restart it misses no transition.</li>
 * <li><b>Fallback.</b> Where streaming fails while the server answers (a proxy that buffers the stream: no
 *     event nor keep-alive within twice the server's keep-alive; or three failed connects in a row), it follows
 *     the jobs by long polling ({@code GET /jobs/{id}?waitForVersion=N}) and tries the stream again every
 *     minute. Polling delivers each change as one event ({@code status} when the status changed) and the log
 *     lines before it; a job that moved through several statuses between two polls shows the last move.</li>
 * <li><b>Refusal.</b> A stream the server refuses ({@code unauthorized}, {@code not_found}) ends the watch:
 *     {@link #state()} is {@link State#CLOSED} and {@link #error()} says why. Nothing is retried.</li>
 * </ul>
 */
public interface Watch extends AutoCloseable {

    /** Where the watch stands. */
    enum State {
        /** Opening the first stream. */
        CONNECTING,
        /** Streaming: events arrive as they happen. */
        LIVE,
        /** The stream dropped; reconnecting with the position of the last event. */
        RECONNECTING,
        /** Streaming does not get through: following the jobs by long polling, and trying the stream every minute. */
        POLLING,
        /** Ended by {@link #close()}, by the client's close, or by a refusal ({@link #error()}). */
        CLOSED
    }

    /** The newest state of the job seen by this watch (delivered to its listener), or null for none yet. */
    Job job(String id);

    /** Where the watch stands now. */
    State state();

    /**
     * Calls {@code listener} with the state the watch is in now and then with every change, on the watch's
     * delivery thread, in order with its events; {@link State#CLOSED} comes last.
     */
    Watch onState(Consumer<State> listener);

    /** Why the watch ended, when the server refused it ({@code unauthorized}, {@code not_found}, ...). */
    Optional<HeraldException> error();

    /** Ends the watch: its connection closes and no event is delivered after this returns. */
    @Override
    void close();
}
