package dev.herald.server.edge;

import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.server.auth.AuthOptions;
import dev.herald.server.auth.Authenticator;
import dev.herald.server.auth.RateLimiter;
import dev.herald.server.metrics.HeraldMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.StaticHandler;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * The Vert.x router in front of every route: the header deadline, request metrics, CORS, authentication,
 * body limits, the write limit, strict 404 and 405 answers, security headers, and the dashboard's files. The
 * routes themselves are handed to it.
 */
public final class ApiRouter {
    private static final Logger LOG = LoggerFactory.getLogger(ApiRouter.class);
    private static final String ABORTED = "herald.aborted";
    /** Where each Vert.x route keeps its {@link ApiRoute#label()}, made once rather than per request. */
    private static final String LABEL = "herald.label";
    private final Vertx vertx;
    private final Authenticator authenticator;
    private final HeraldMetrics metrics;
    private final HeaderDeadline headerDeadline;
    private final Writes writes;
    private final List<String> corsOrigins;
    private final Limits limits;

    public ApiRouter(Vertx vertx, Authenticator authenticator, HeraldMetrics metrics, HeaderDeadline headerDeadline,
                     AuthOptions auth, Limits limits) {
        this.vertx = vertx;
        this.limits = limits;
        this.authenticator = authenticator;
        this.metrics = metrics;
        this.headerDeadline = headerDeadline;
        this.writes = new Writes(new RateLimiter(auth.writesPerSecond(), auth.writeBurst()),
                new RateLimiter(auth.entriesPerSecond(), auth.entryBurst()));
        this.corsOrigins = auth.corsOrigins();
    }

    /** The public routes, then the API routes behind authentication, then the dashboard's files. */
    public Router router(List<ApiRoute> routes, List<PublicRoute> open) {
        Router r = Router.router(vertx);
        r.route().handler(this::arrived);
        r.route().failureHandler(this::clientGone);
        for (PublicRoute p : open) {
            r.get(p.path()).handler(p.handler());
        }
        r.route(ApiRoute.PREFIX + "/*").handler(this::upgradeOrigin);
        if (!corsOrigins.isEmpty()) {
            cors(r);
        }
        r.route(ApiRoute.PREFIX + "/*").handler(new Auth(authenticator, routes));
        for (ApiRoute api : routes) {
            Route route = api.isRegex() ? r.routeWithRegex(api.method(), api.routerPath())
                    : r.route(api.method(), api.routerPath());
            route.putMetadata(ApiRoute.METADATA, api);
            route.putMetadata(LABEL, api.label());
            if (api.body() != null) {
                route.handler(BodyHandler.create(false).setBodyLimit(api.body().limit(limits)));
            }
            if (api.method() == HttpMethod.POST) {
                route.handler(writes);
            }
            route.handler(Http.guarded(api.handler()));
        }
        r.route(ApiRoute.PREFIX + "/*").handler(ctx -> unrouted(ctx, routes, open));
        r.route("/*").handler(SecurityHeaders::dashboard);
        r.route("/*").handler(StaticHandler.create("dashboard").setCachingEnabled(false));
        r.errorHandler(404, ctx -> refuse(ctx, ErrorCode.NOT_FOUND, "no such endpoint: " + ctx.request().path()));
        // only the CORS check fails a request with 403 itself; every other refusal is answered where it is made
        r.errorHandler(403, ctx -> refuse(ctx, ErrorCode.FORBIDDEN, "requests from the origin "
                + ctx.request().getHeader("Origin") + " are not allowed: only from the server's own origin and those"
                + " of --cors-origin"));
        r.errorHandler(405, ctx -> refuse(ctx, ErrorCode.METHOD_NOT_ALLOWED,
                ctx.request().method() + " is not allowed on " + ctx.request().path()));
        r.errorHandler(413, ctx -> refuse(ctx, ErrorCode.TOO_LARGE, "the request body is too large"));
        r.errorHandler(400, ApiRouter::unreadable);
        r.errorHandler(500, ctx -> ApiErrors.send(ctx, ctx.failure() == null
                ? new IllegalStateException("unknown failure") : ctx.failure()));
        return r;
    }

    private void cors(Router r) {
        CorsHandler cors = CorsHandler.create().addOrigins(corsOrigins)
                .allowedHeaders(Set.of("Authorization", "Content-Type", "Idempotency-Key", "Last-Event-ID",
                        "If-None-Match"))
                .exposedHeaders(Set.of("ETag", "Location", "Retry-After"))
                .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST));
        // browsers send Origin on same-origin POSTs too (the dashboard's): those are not CORS requests
        r.route().handler(ctx -> {
            if (sameOrigin(ctx)) {
                ctx.next();
            } else {
                cors.handle(ctx);
            }
        });
    }

    /**
     * No CORS check stops a page of another site from opening a WebSocket, and browsers always say whose page asks:
     * an upgrade is taken from this server's origin and the CORS origins only. Clients that are not browsers send
     * no Origin and pass.
     */
    private void upgradeOrigin(RoutingContext ctx) {
        String origin = ctx.request().getHeader("Origin");
        if (origin != null && "websocket".equalsIgnoreCase(ctx.request().getHeader("Upgrade"))
                && !sameOrigin(ctx) && !corsOrigins.contains(origin)) {
            refuse(ctx, ErrorCode.FORBIDDEN, "WebSocket connections from this origin are not allowed:"
                    + " only from the server's own origin and those of --cors-origin");
        } else {
            ctx.next();
        }
    }

    /** The Origin names this server as the request reached it (its Host), whatever the scheme a proxy ended. */
    private static boolean sameOrigin(RoutingContext ctx) {
        String origin = ctx.request().getHeader("Origin");
        String host = ctx.request().getHeader("Host");
        if (origin == null || host == null) {
            return false;
        }
        int authority = origin.indexOf("://");
        return authority > 0 && origin.substring(authority + 3).equalsIgnoreCase(host);
    }

    private static void refuse(RoutingContext ctx, ErrorCode code, String message) {
        ApiErrors.send(ctx.response(), new HeraldException(code, message));
    }

    /**
     * A request Vert.x could not read: a path that cannot be decoded names nothing (404, like a malformed id),
     * a query string that cannot be decoded is {@code invalid_field}, anything else is the body's fault.
     */
    private static void unreadable(RoutingContext ctx) {
        String uri = ctx.request().uri();
        int query = uri.indexOf('?');
        if (!decodes(query < 0 ? uri : uri.substring(0, query))) {
            refuse(ctx, ErrorCode.NOT_FOUND, "no such endpoint or job: the path cannot be decoded");
        } else if (query >= 0 && !decodes(uri.substring(query + 1))) {
            ApiErrors.send(ctx.response(), HeraldException.field(ErrorCode.INVALID_FIELD, "query",
                    "the query string cannot be decoded: encode '%' as %25"));
        } else {
            refuse(ctx, ErrorCode.INVALID_JSON, "the request could not be read");
        }
    }

    private static boolean decodes(String s) {
        try {
            URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A path of ours with another method is 405; anything else under the prefix is 404. */
    private static void unrouted(RoutingContext ctx, List<ApiRoute> routes, List<PublicRoute> open) {
        String path = ctx.request().path();
        boolean known = open.stream().anyMatch(p -> p.path().equals(path))
                || routes.stream().anyMatch(api -> api.matches(path));
        if (known) {
            refuse(ctx, ErrorCode.METHOD_NOT_ALLOWED, ctx.request().method() + " is not allowed on " + path);
        } else {
            refuse(ctx, ErrorCode.NOT_FOUND, "no such endpoint: " + path);
        }
    }

    /**
     * A client that hung up before its request was read fails the request with the transport's exception (Vert.x
     * Web's body handler gives it the status 200, which no error handler takes, so Vert.x would log it as an
     * error with its stack): that is the client's doing, not the server's, so it is counted and logged at debug.
     */
    private void clientGone(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure instanceof HttpClosedException || failure instanceof IOException) {
            // a reset fails the request twice: with the reset, then as the connection closes
            if (ctx.get(ABORTED) == null) {
                ctx.put(ABORTED, true);
                metrics.aborted();
            }
            LOG.debug("{} {}: the client closed the connection before the request was read: {}",
                    ctx.request().method(), ctx.request().path(), failure.toString());
        } else {
            ctx.next();
        }
    }

    /**
     * Every request's first handler: the header deadline, the request's count and the nosniff header. One route and
     * one end handler rather than one each: the router matches every route it passes, for every request.
     */
    private void arrived(RoutingContext ctx) {
        HttpConnection connection = ctx.request().connection();
        headerDeadline.headArrived(connection);
        SecurityHeaders.noSniffing(ctx.response());
        ctx.addEndHandler(v -> {
            headerDeadline.answered(connection);
            count(ctx);
        });
        ctx.next();
    }

    private void count(RoutingContext ctx) {
        // label by route template, never by raw path: ids would make a metric per job
        Route route = ctx.currentRoute();
        Object label = route == null ? null : route.getMetadata(LABEL);
        metrics.request(ctx.request().method().name(), label instanceof String l ? l : "other",
                ctx.response().getStatusCode());
    }
}
