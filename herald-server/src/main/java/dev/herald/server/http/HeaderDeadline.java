package dev.herald.server.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slow-loris protection. A connection must send a whole request head within
 * {@code firstHeadMs} of opening, and the next one within {@code nextHeadMs} of the
 * previous answer, or it is closed. The idle timeout alone is not enough: a client that
 * trickles one byte every few seconds is never idle.
 *
 * <p>Needs {@link HttpConnection}s to be announced when they open, which Vert.x does only
 * without h2c (with it, a connection is announced once its first request head is in).
 */
public final class HeaderDeadline implements Handler<RoutingContext> {
    private static final long BUSY = -1;
    private final Vertx vertx;
    private final long firstHeadMs;
    private final long nextHeadMs;
    /** Each open connection: the timer of the request head it owes, or {@link #BUSY} while a request runs. */
    private final Map<HttpConnection, Long> open = new ConcurrentHashMap<>();

    public HeaderDeadline(Vertx vertx, long firstHeadMs, long nextHeadMs) {
        this.vertx = vertx;
        this.firstHeadMs = firstHeadMs;
        this.nextHeadMs = nextHeadMs;
    }

    /** For {@code HttpServer.connectionHandler}: starts the clock of a new connection. */
    public void opened(HttpConnection connection) {
        open.put(connection, timer(connection, firstHeadMs));
        connection.closeHandler(v -> cancel(open.remove(connection)));
    }

    /** The first handler of every request: its head has arrived. */
    @Override
    public void handle(RoutingContext ctx) {
        HttpConnection connection = ctx.request().connection();
        cancel(open.replace(connection, BUSY));
        // an upgraded connection (WebSocket) is no longer HTTP: its own idle rules apply
        if (!ctx.request().headers().contains(HttpHeaders.UPGRADE)) {
            ctx.addEndHandler(v -> open.computeIfPresent(connection, (c, running) -> {
                cancel(running);
                return timer(c, nextHeadMs);
            }));
        }
        ctx.next();
    }

    private long timer(HttpConnection connection, long ms) {
        return vertx.setTimer(ms, t -> {
            if (open.remove(connection, t)) {
                connection.close();
            }
        });
    }

    private void cancel(Long timer) {
        if (timer != null && timer != BUSY) {
            vertx.cancelTimer(timer);
        }
    }
}
