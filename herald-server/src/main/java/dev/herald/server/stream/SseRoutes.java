package dev.herald.server.stream;

import dev.herald.core.event.EventType;
import dev.herald.core.event.StreamCursor;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.server.auth.Principal;
import dev.herald.server.edge.ApiErrors;
import dev.herald.server.edge.ApiRoute;
import dev.herald.server.edge.Auth;
import dev.herald.server.edge.HeaderDeadline;
import dev.herald.server.edge.Http;
import dev.herald.server.edge.QueryParams;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Server-Sent Event streams of one job or of a list of jobs (API §3). */
public final class SseRoutes implements AutoCloseable {
    private final StreamContext shared;
    private final HeaderDeadline headerDeadline;
    private final Set<SseTransport> open = ConcurrentHashMap.newKeySet();
    private final long keepAliveTimer;

    /** @param headerDeadline what a kept-alive connection is under again once the server ends its stream */
    public SseRoutes(StreamContext shared, HeaderDeadline headerDeadline) {
        this.shared = shared;
        this.headerDeadline = headerDeadline;
        // sweep three times per period and speak after two thirds of it: no silence lasts a whole period
        long period = Math.max(3, shared.keepAlive().toMillis() / 3);
        long silence = TimeUnit.MILLISECONDS.toNanos(period * 2);
        this.keepAliveTimer = shared.vertx().setPeriodic(period, t -> open.forEach(s -> s.keepAlive(silence)));
    }

    public void jobEvents(RoutingContext ctx) {
        String id = Http.jobId(ctx);
        QueryParams q = QueryParams.of(ctx);
        stream(ctx, q.flag("descendants") ? new StreamScope.Subtree(id) : new StreamScope.Jobs(List.of(id)), q);
    }

    public void events(RoutingContext ctx) {
        QueryParams q = QueryParams.of(ctx);
        String list = q.text("jobs", 40 * shared.limits().maxSubscriptions());
        String project = q.text("project", shared.limits().maxNameChars());
        if ((list == null) == (project == null)) {
            throw Http.invalid("jobs", "name what to stream: ?jobs=ID,ID,... or ?project=P");
        }
        if (project != null) {
            stream(ctx, new StreamScope.Project(project), q);
            return;
        }
        stream(ctx, StreamScope.Jobs.of(Arrays.stream(list.split(",", -1)).map(String::trim).toList(),
                shared.limits()), q);
    }

    private void stream(RoutingContext ctx, StreamScope scope, QueryParams q) {
        StreamSession.Request request = new StreamSession.Request(scope, cursor(ctx, q), types(q));
        Context context = Vertx.currentContext();
        HttpServerResponse response = ctx.response();
        SseTransport transport = new SseTransport(response, context, shared.metrics()::sseEventDelivered,
                SseGzip.accepted(ctx.request().getHeader("Accept-Encoding")));
        StreamSession session = new StreamSession(shared.engine(), shared.fanOut(), context, transport,
                new ConflatingQueue.Budget(shared.maxQueued()), request);
        Principal caller = Auth.caller(ctx);
        OpenStreams.Stream handle = reason -> context.runOnContext(v -> transport.end(reason));
        if (!shared.openStreams().add(handle, caller)) {
            throw new HeraldException(ErrorCode.RATE_LIMITED, "this token holds too many open streams; close some");
        }
        // until it opens, the request is answered (refused, or ended as its credential expires) like any other
        scope.authorize(shared.access(), caller).thenCompose(v -> session.open())
                .whenComplete((first, error) -> Http.onContext(context, () -> {
                    if (error != null || response.ended() || response.closed()) {
                        session.close();
                        shared.openStreams().remove(handle);
                        if (error != null) {
                            ApiErrors.send(ctx, error);
                        }
                        return;
                    }
                    takeOver(response, ctx.request().connection(), () -> {
                        session.close();
                        shared.openStreams().remove(handle);
                        if (open.remove(transport)) {
                            shared.metrics().sseStreams().decrementAndGet();
                        }
                    });
                    transport.open(ctx.request());
                    counted(ctx);
                    forget(ctx);
                    open.add(transport);
                    shared.metrics().sseStreams().incrementAndGet();
                    session.begin(first);
                }));
    }

    /**
     * The open stream's own handlers replace the router's, which hold the routing context. A stream ends by the
     * client going away (close) or by the server ending the response (end): clean up either way; on an end the
     * kept-alive connection owes its next request head in time again, as after any answer.
     */
    private void takeOver(HttpServerResponse response, HttpConnection connection, Runnable cleanup) {
        response.closeHandler(v -> cleanup.run());
        response.endHandler(v -> {
            cleanup.run();
            headerDeadline.answered(connection);
        });
    }

    /**
     * Counts the stream among the requests answered, as it opens. The router counts a request when it ends, through
     * the routing context's end handlers, which a stream's own handlers replace ({@link #takeOver}) and
     * {@link #forget} lets go of.
     */
    private void counted(RoutingContext ctx) {
        shared.metrics().request(ctx.request().method().name(), ApiRoute.serving(ctx).label(),
                ctx.response().getStatusCode());
    }

    /**
     * Lets go of what an open stream no longer needs of its request, which an idle stream would hold for its whole
     * life. Vert.x Web's handler for the response's failures is the last holder of the routing context (its maps, the
     * request's wrapper, its end handlers): the stream's close handler cleans up without it. Vert.x Web copied the
     * path's parameters into the request's (only then do they exist: asking for them would make them).
     */
    private static void forget(RoutingContext ctx) {
        ctx.response().exceptionHandler(null);
        if (!ctx.pathParams().isEmpty()) {
            ctx.request().params().clear();
        }
    }

    private static StreamCursor cursor(RoutingContext ctx, QueryParams q) {
        String text = ctx.request().getHeader("Last-Event-ID");
        String field = "Last-Event-ID";
        if (text == null) {
            text = q.text("lastEventId", 64);
            field = "lastEventId";
        }
        if (text == null || text.isEmpty()) {
            return null;
        }
        String f = field;
        return StreamCursor.decode(text).orElseThrow(() -> Http.invalid(f, f + " is not an event id of this server"));
    }

    private static Set<EventType> types(QueryParams q) {
        String text = q.text("types", 200);
        if (text == null) {
            return null;
        }
        Set<EventType> types = EnumSet.noneOf(EventType.class);
        for (String t : text.split(",", -1)) {
            types.add(EventType.fromWire(t.trim())
                    .orElseThrow(() -> Http.invalid("types", "unknown event type '" + t.trim() + "'")));
        }
        return types;
    }

    @Override
    public void close() {
        shared.vertx().cancelTimer(keepAliveTimer);
    }
}
