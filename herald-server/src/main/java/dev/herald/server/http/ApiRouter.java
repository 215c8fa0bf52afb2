package dev.herald.server.http;

import dev.herald.core.engine.JobEngine;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.server.ServerOptions;
import dev.herald.server.metrics.HeraldMetrics;
import dev.herald.server.auth.Access;
import dev.herald.server.auth.ApiKeys;
import dev.herald.server.auth.Authenticator;
import dev.herald.server.auth.RateLimiter;
import dev.herald.server.stream.FanOut;
import dev.herald.server.stream.OpenStreams;
import dev.herald.server.ws.WebSocketRoutes;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.StaticHandler;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/** Every HTTP route of the server, in one table; the OpenAPI document is made from the same table. */
public final class ApiRouter implements AutoCloseable {
    private static final String VERSION = "0.1.0";
    private static final String ROUTE_LABEL = "herald.route";

    private final Router router;
    private final StreamRoutes streams;
    private final Writes writes;
    /** A whole request head within 10 s of connecting, or the connection is closed. */
    private final HeaderDeadline headerDeadline;
    private final List<String> corsOrigins;
    private final WebSocketRoutes sockets;
    private final List<ApiRoute> routes;
    private final JobEngine engine;
    private final HeraldMetrics metrics;

    public ApiRouter(Vertx vertx, JobEngine engine, FanOut fanOut, HeraldMetrics metrics, ServerOptions options,
                     Authenticator authenticator, ApiKeys keys, OpenStreams open) {
        this.engine = engine;
        this.metrics = metrics;
        Limits limits = options.limits();
        Access access = new Access(engine);
        JobRoutes jobs = new JobRoutes(engine, access, limits);
        ProgressRoutes progress = new ProgressRoutes(engine, access, jobs, limits, metrics);
        JobReads reads = new JobReads(vertx, engine, access, open, fanOut, metrics);
        KeyRoutes keyRoutes = new KeyRoutes(vertx, keys, jobs, limits);
        this.streams = new StreamRoutes(vertx, engine, access, open, fanOut, metrics, limits,
                options.maxQueuedPerReader(),
                options.keepAlive());
        this.sockets = new WebSocketRoutes(vertx, engine, access, open, fanOut, metrics, limits,
                options.maxQueuedPerReader(), options.keepAlive());
        int body = limits.maxBodyBytes();
        this.routes = List.of(
                new ApiRoute(HttpMethod.POST, "/jobs", "Create a job", 201, body, false, jobs::create),
                new ApiRoute(HttpMethod.GET, "/jobs", "List jobs, newest first", 200, 0, false, jobs::list),
                new ApiRoute(HttpMethod.GET, "/jobs/{id}", "Read a job; long poll with waitForVersion", 200, 0, false,
                        reads::get),
                new ApiRoute(HttpMethod.POST, "/jobs/{id}/progress", "Report progress", 202, body, false,
                        progress::progress),
                new ApiRoute(HttpMethod.POST, "/jobs/{id}/start", "Start a job", 200, body, false, jobs::start),
                new ApiRoute(HttpMethod.POST, "/jobs/{id}/complete", "Complete a job", 200,
                        limits.completeBodyBytes(), false, jobs::complete),
                new ApiRoute(HttpMethod.POST, "/jobs/{id}/fail", "Fail a job", 200, body, false, jobs::fail),
                new ApiRoute(HttpMethod.POST, "/jobs/{id}/cancel", "Cancel a job", 200, body, false, jobs::cancel),
                new ApiRoute(HttpMethod.POST, "/jobs/{id}/retry", "Queue a job again", 200, body, false, jobs::retry),
                new ApiRoute(HttpMethod.POST, "/jobs/{id}/heartbeat", "Tell that the worker is alive", 204, body,
                        false, jobs::heartbeat),
                new ApiRoute(HttpMethod.POST, "/jobs/{id}/logs", "Append a log line", 202, body, false,
                        progress::appendLog),
                new ApiRoute(HttpMethod.GET, "/jobs/{id}/logs", "Read log lines", 200, 0, false, progress::logs),
                new ApiRoute(HttpMethod.GET, "/jobs/{id}/children", "List direct children", 200, 0, false,
                        jobs::children),
                new ApiRoute(HttpMethod.GET, "/jobs/{id}/result", "Read the full result", 200, 0, false,
                        jobs::result),
                new ApiRoute(HttpMethod.POST, "/progress:batch", "Report progress of many jobs", 200, body, false,
                        progress::batch),
                new ApiRoute(HttpMethod.GET, "/jobs/{id}/events", "Stream one job as Server-Sent Events", 200, 0,
                        true, streams::jobEvents),
                new ApiRoute(HttpMethod.GET, "/events", "Stream jobs or a project as Server-Sent Events", 200, 0, true,
                        streams::events),
                new ApiRoute(HttpMethod.GET, "/ws", "WebSocket: subscribe to jobs by message", 101, 0, true,
                        sockets::socket),
                new ApiRoute(HttpMethod.GET, "/jobs/{id}/ws", "WebSocket with the job subscribed on connect", 101, 0,
                        true, sockets::jobSocket),
                new ApiRoute(HttpMethod.POST, "/keys", "Create an API key (admin); the answer holds its secret", 201,
                        body, false, keyRoutes::create),
                new ApiRoute(HttpMethod.GET, "/keys", "List API keys (admin)", 200, 0, false, keyRoutes::list),
                new ApiRoute(HttpMethod.POST, "/keys/{id}/revoke", "Revoke an API key (admin)", 200, body, false,
                        keyRoutes::revoke));
        this.headerDeadline = new HeaderDeadline(vertx, options.headerTimeout().toMillis(),
                options.idleTimeout().toMillis());
        this.writes = new Writes(new RateLimiter(options.auth().writesPerSecond(), options.auth().writeBurst()));
        this.corsOrigins = options.auth().corsOrigins();
        this.router = build(vertx, authenticator);
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

    private Router build(Vertx vertx, Authenticator authenticator) {
        Router r = Router.router(vertx);
        r.route().handler(headerDeadline);
        r.route().handler(this::count);
        String openApi = OpenApi.document(routes, VERSION);
        r.get(ApiRoute.PREFIX + "/openapi.json").handler(ctx -> Http.json(ctx, 200, openApi));
        if (!corsOrigins.isEmpty()) {
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
        r.route(ApiRoute.PREFIX + "/*").handler(new Auth(authenticator));
        for (ApiRoute api : routes) {
            Route route = api.isRegex() ? r.routeWithRegex(api.method(), api.routerPath())
                    : r.route(api.method(), api.routerPath());
            route.putMetadata(ROUTE_LABEL, api.method() + " " + api.path());
            if (api.bodyLimit() > 0) {
                route.handler(BodyHandler.create(false).setBodyLimit(api.bodyLimit()));
            }
            if (api.method() == HttpMethod.POST) {
                route.handler(writes);
            }
            route.handler(Http.guarded(api.handler()));
        }
        r.route(ApiRoute.PREFIX + "/*").handler(this::unrouted);
        r.get("/health/live").handler(ctx -> Http.json(ctx, 200, "{\"status\":\"up\"}"));
        r.get("/health/ready").handler(this::ready);
        r.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(metrics.scrape()));
        r.route("/*").handler(StaticHandler.create("dashboard").setCachingEnabled(false));
        r.errorHandler(404, ctx -> refuse(ctx, ErrorCode.NOT_FOUND, "no such endpoint: " + ctx.request().path()));
        r.errorHandler(405, ctx -> refuse(ctx, ErrorCode.METHOD_NOT_ALLOWED,
                ctx.request().method() + " is not allowed on " + ctx.request().path()));
        r.errorHandler(413, ctx -> refuse(ctx, ErrorCode.TOO_LARGE, "the request body is too large"));
        r.errorHandler(400, ApiRouter::unreadable);
        r.errorHandler(500, ctx -> ApiErrors.send(ctx, ctx.failure() == null
                ? new IllegalStateException("unknown failure") : ctx.failure()));
        return r;
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
    private void unrouted(RoutingContext ctx) {
        String path = ctx.request().path();
        boolean known = routes.stream().anyMatch(api -> api.matches(path));
        if (known) {
            refuse(ctx, ErrorCode.METHOD_NOT_ALLOWED, ctx.request().method() + " is not allowed on " + path);
        } else {
            refuse(ctx, ErrorCode.NOT_FOUND, "no such endpoint: " + path);
        }
    }

    private void count(RoutingContext ctx) {
        // label by route template, never by raw path: ids would make a metric per job
        ctx.addEndHandler(v -> {
            Route route = ctx.currentRoute();
            Object label = route == null ? null : route.getMetadata(ROUTE_LABEL);
            metrics.request(ctx.request().method().name(), label == null ? "other" : label.toString(),
                    ctx.response().getStatusCode());
        });
        ctx.next();
    }

    private void ready(RoutingContext ctx) {
        engine.ping().whenComplete((v, e) -> {
            if (e == null) {
                Http.json(ctx, 200, "{\"status\":\"ready\",\"store\":\"up\",\"bus\":\"up\"}");
            } else {
                ctx.response().putHeader("Retry-After", "5");
                Http.json(ctx, 503, "{\"status\":\"unavailable\",\"store\":\"down\",\"bus\":\"up\"}");
            }
        });
    }

    public HeaderDeadline headerDeadline() {
        return headerDeadline;
    }

    public Router router() {
        return router;
    }

    @Override
    public void close() {
        headerDeadline.close();
        streams.close();
        sockets.close();
    }
}
