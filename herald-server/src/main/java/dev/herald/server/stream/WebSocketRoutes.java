package dev.herald.server.stream;

import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.server.auth.Principal;
import dev.herald.server.edge.ApiErrors;
import dev.herald.server.edge.Auth;
import dev.herald.server.edge.Http;
import dev.herald.server.edge.QueryParams;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code /ws} and {@code /jobs/{id}/ws} (API §4): upgrades, then a sweep that sends
 * every connection a heartbeat each {@code keepAlive} and closes those that sent
 * nothing for three of them (45 s by default).
 */
public final class WebSocketRoutes implements AutoCloseable {
    private final StreamContext shared;
    private final Set<WebSocketConnection> open = ConcurrentHashMap.newKeySet();
    private final long sweepTimer;
    private final long idleNanos;
    private final int sweepsPerHeartbeat;
    private int sweeps;

    public WebSocketRoutes(StreamContext shared) {
        this.shared = shared;
        this.idleNanos = shared.keepAlive().multipliedBy(3).toNanos();
        long sweep = Math.max(1, shared.keepAlive().toMillis() / 3);
        this.sweepsPerHeartbeat = 3;
        this.sweepTimer = shared.vertx().setPeriodic(sweep, t -> sweep());
    }

    private void sweep() {
        boolean beat = ++sweeps % sweepsPerHeartbeat == 0;
        long now = System.nanoTime();
        for (WebSocketConnection c : open) {
            if (c.idleFor(now) > idleNanos) {
                c.closeIdle();
            } else if (beat) {
                c.heartbeat();
            }
        }
    }

    public void socket(RoutingContext ctx) {
        QueryParams.of(ctx);
        upgrade(ctx, null);
    }

    /** The job is subscribed on connect; an unknown one is answered like any other: a {@code not_found} frame. */
    public void jobSocket(RoutingContext ctx) {
        String id = Http.jobId(ctx);
        QueryParams.of(ctx);
        upgrade(ctx, id);
    }

    private void upgrade(RoutingContext ctx, String firstJob) {
        // refused here, not by Vert.x, whose refusal is a plain-text 400 rather than an error of API §6
        if (!"websocket".equalsIgnoreCase(ctx.request().getHeader("Upgrade"))) {
            throw new HeraldException(ErrorCode.INVALID_FIELD, "this endpoint speaks WebSocket: send an upgrade request");
        }
        Context context = Vertx.currentContext();
        Principal caller = Auth.caller(ctx);
        OpenStreams.Stream[] handle = new OpenStreams.Stream[1];
        WebSocketConnection[] connection = new WebSocketConnection[1];
        handle[0] = reason -> {
            if (connection[0] != null) {
                connection[0].endForCredential(reason);
            }
        };
        if (!shared.openStreams().add(handle[0], caller)) {
            throw new HeraldException(ErrorCode.RATE_LIMITED, "this token holds too many open streams; close some");
        }
        ctx.request().toWebSocket().onSuccess(socket -> {
            connection[0] = new WebSocketConnection(socket, context, shared, caller);
            open.add(connection[0]);
            shared.metrics().wsStreams().incrementAndGet();
            connection[0].start(firstJob, () -> {
                shared.openStreams().remove(handle[0]);
                if (open.remove(connection[0])) {
                    shared.metrics().wsStreams().decrementAndGet();
                }
            });
        }).onFailure(e -> {
            shared.openStreams().remove(handle[0]);
            if (!ctx.response().ended()) {
                ApiErrors.send(ctx.response(), new HeraldException(ErrorCode.INVALID_FIELD,
                        "this endpoint speaks WebSocket: send an upgrade request"));
            }
        });
    }

    @Override
    public void close() {
        shared.vertx().cancelTimer(sweepTimer);
    }
}
