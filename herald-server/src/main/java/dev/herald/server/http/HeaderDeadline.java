package dev.herald.server.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slow-loris protection: a connection must have sent a whole request head within
 * the deadline of opening, or it is closed. (Once it has, the idle timeout of the
 * server applies: nothing sent or received for that long closes it.)
 */
public final class HeaderDeadline implements Handler<RoutingContext> {
    private final Vertx vertx;
    private final long deadlineMs;
    private final Set<HttpConnection> served = ConcurrentHashMap.newKeySet();

    public HeaderDeadline(Vertx vertx, long deadlineMs) {
        this.vertx = vertx;
        this.deadlineMs = deadlineMs;
    }

    /** For {@code HttpServer.connectionHandler}: starts the clock of a new connection. */
    public void opened(HttpConnection connection) {
        long timer = vertx.setTimer(deadlineMs, t -> {
            if (!served.contains(connection)) {
                connection.close();
            }
        });
        connection.closeHandler(v -> {
            vertx.cancelTimer(timer);
            served.remove(connection);
        });
    }

    /** The first handler of every request: its head has arrived. */
    @Override
    public void handle(RoutingContext ctx) {
        served.add(ctx.request().connection());
        ctx.next();
    }
}
