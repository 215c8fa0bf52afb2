package dev.herald.server.edge;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Slow-loris protection. A connection must send a whole request head within
 * {@code firstHeadMs} of opening, and the next one within {@code nextHeadMs} of the
 * previous answer, or it is closed. The idle timeout alone is not enough: a client that
 * trickles one byte every few seconds is never idle. Requests only note the time; one
 * sweep a fraction of a second closes the late, so the ingest path sets no timers.
 *
 * <p>Needs {@link HttpConnection}s to be announced when they open, which Vert.x does only
 * without h2c (with it, a connection is announced once its first request head is in).
 */
public final class HeaderDeadline implements AutoCloseable {
    /** The deadline of a connection busy with a request: none. */
    private static final long BUSY = Long.MAX_VALUE;
    private final Vertx vertx;
    private final long firstHeadNanos;
    private final long nextHeadNanos;
    private final long sweeper;
    /**
     * Each open connection: when its next request head is due, or {@link #BUSY}; in {@link System#nanoTime}, as a
     * deadline is real time after the connection opened, whatever the wall clock says.
     */
    private final Map<HttpConnection, Long> open = new ConcurrentHashMap<>();

    public HeaderDeadline(Vertx vertx, long firstHeadMs, long nextHeadMs) {
        this.vertx = vertx;
        this.firstHeadNanos = TimeUnit.MILLISECONDS.toNanos(firstHeadMs);
        this.nextHeadNanos = TimeUnit.MILLISECONDS.toNanos(nextHeadMs);
        this.sweeper = vertx.setPeriodic(Math.max(50, Math.min(1000, firstHeadMs / 4)), t -> sweep());
    }

    /** For {@code HttpServer.connectionHandler}: starts the clock of a new connection. */
    public void opened(HttpConnection connection) {
        open.put(connection, System.nanoTime() + firstHeadNanos);
        connection.closeHandler(v -> open.remove(connection));
    }

    /**
     * A request's head has arrived: its connection has no deadline until the answer. An upgrade to WebSocket is
     * never answered, so the connection, no longer HTTP, keeps none: its own idle rules apply. Whether a request asks
     * for an upgrade says nothing (Java's HTTP client asks every request for h2c): one refused is answered like any.
     */
    public void headArrived(HttpConnection connection) {
        open.replace(connection, BUSY);
    }

    /**
     * The request on this connection is answered: its next head is due within {@code nextHeadMs}. The router says so
     * when a response ends; a route that sets the response's end handler itself replaces the router's, and must.
     */
    public void answered(HttpConnection connection) {
        open.replace(connection, System.nanoTime() + nextHeadNanos);
    }

    private void sweep() {
        long now = System.nanoTime();
        open.forEach((connection, due) -> {
            if (due != BUSY && now - due > 0 && open.remove(connection, due)) {
                connection.close();
            }
        });
    }

    @Override
    public void close() {
        vertx.cancelTimer(sweeper);
    }
}
