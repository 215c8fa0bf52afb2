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
import io.vertx.core.Handler;
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

import static dev.herald.server.http.ApiParam.CURSOR;
import static dev.herald.server.http.ApiParam.DESCENDANTS;
import static dev.herald.server.http.ApiParam.IDEMPOTENCY_KEY;
import static dev.herald.server.http.ApiParam.IF_NONE_MATCH;
import static dev.herald.server.http.ApiParam.JOBS;
import static dev.herald.server.http.ApiParam.JOB_LIMIT;
import static dev.herald.server.http.ApiParam.LAST_EVENT_ID;
import static dev.herald.server.http.ApiParam.LAST_EVENT_ID_HEADER;
import static dev.herald.server.http.ApiParam.LOG_AFTER;
import static dev.herald.server.http.ApiParam.LOG_LIMIT;
import static dev.herald.server.http.ApiParam.OWNER;
import static dev.herald.server.http.ApiParam.PARENT_ID;
import static dev.herald.server.http.ApiParam.PROJECT;
import static dev.herald.server.http.ApiParam.STATUS;
import static dev.herald.server.http.ApiParam.STREAM_PROJECT;
import static dev.herald.server.http.ApiParam.TIMEOUT_MS;
import static dev.herald.server.http.ApiParam.TYPE;
import static dev.herald.server.http.ApiParam.TYPES;
import static dev.herald.server.http.ApiParam.WAIT_FOR_VERSION;

/** Every HTTP route of the server, in one table; the OpenAPI document is made from the same table. */
public final class ApiRouter implements AutoCloseable {
    private static final String VERSION = "0.1.0";
    /** Served without a token: the document is public. */
    private static final String OPENAPI = ApiRoute.PREFIX + "/openapi.json";
    private static final String JOB = "Job";
    private static final String EMPTY = "Empty";
    private static final String ETAG = "ETag";
    private static final String LOCATION = "Location";

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
                ApiRoute.post("/jobs", "Create a job", jobs::create).body(body, "CreateJob").params(IDEMPOTENCY_KEY)
                        .answer(201, JOB, "The new job", ETAG, LOCATION)
                        .answer(200, JOB, "The job an earlier create with the same Idempotency-Key made", ETAG,
                                LOCATION)
                        .errors(404, 409, 413, 415, 429),
                ApiRoute.get("/jobs", "List jobs, newest first", jobs::list)
                        .params(STATUS, TYPE, PARENT_ID, PROJECT, OWNER, JOB_LIMIT, CURSOR)
                        .answer(200, "JobPage", "A page of jobs"),
                ApiRoute.get("/jobs/{id}", "Read a job; long poll with waitForVersion", reads::get)
                        .params(WAIT_FOR_VERSION, TIMEOUT_MS, IF_NONE_MATCH)
                        .answer(200, JOB, "The job", ETAG)
                        .answer(304, null, "The job is still at the version If-None-Match names", ETAG)
                        .errors(404, 429),
                jobWrite("/jobs/{id}/progress", "Report progress", progress::progress).body(body, "ProgressReport")
                        .answer(202, "ProgressAccepted", "The report was applied"),
                transition("/jobs/{id}/start", "Start a job", jobs::start).optionalBody(body, EMPTY),
                transition("/jobs/{id}/complete", "Complete a job", jobs::complete)
                        .optionalBody(limits.completeBodyBytes(), "Complete"),
                transition("/jobs/{id}/fail", "Fail a job", jobs::fail).body(body, "Fail"),
                transition("/jobs/{id}/cancel", "Cancel a job and its unfinished descendants", jobs::cancel)
                        .optionalBody(body, EMPTY),
                transition("/jobs/{id}/retry", "Queue a job again", jobs::retry).optionalBody(body, EMPTY),
                jobWrite("/jobs/{id}/heartbeat", "Tell that the worker is alive", jobs::heartbeat)
                        .optionalBody(body, EMPTY).answer(204, null, "Noted"),
                jobWrite("/jobs/{id}/logs", "Append a log line", progress::appendLog).body(body, "LogEntry")
                        .answer(202, "LogAccepted", "The line was appended"),
                ApiRoute.get("/jobs/{id}/logs", "Read log lines", progress::logs).params(LOG_AFTER, LOG_LIMIT)
                        .answer(200, "LogPage", "Log lines in order").errors(404),
                ApiRoute.get("/jobs/{id}/children", "List direct children, newest first", jobs::children)
                        .params(STATUS, TYPE, OWNER, JOB_LIMIT, CURSOR)
                        .answer(200, "JobPage", "A page of children").errors(404),
                ApiRoute.get("/jobs/{id}/result", "Read the full result", jobs::result)
                        .answer(200, "Result", "The result").errors(404),
                ApiRoute.post("/progress:batch", "Report progress of many jobs", progress::batch).body(body, "Batch")
                        .answer(200, "BatchResults", "One result per entry").errors(413, 415, 429),
                ApiRoute.get("/jobs/{id}/events", "Stream one job as Server-Sent Events", streams::jobEvents)
                        .streaming().params(TYPES, LAST_EVENT_ID, DESCENDANTS, LAST_EVENT_ID_HEADER)
                        .answer(200, null, "Snapshots, then live events").errors(404, 429),
                ApiRoute.get("/events", "Stream jobs or a project as Server-Sent Events", streams::events)
                        .streaming().params(JOBS, STREAM_PROJECT, TYPES, LAST_EVENT_ID, LAST_EVENT_ID_HEADER)
                        .answer(200, null, "Snapshots, then live events").errors(404, 413, 429),
                ApiRoute.get("/ws", "WebSocket: subscribe to jobs by message", sockets::socket).streaming()
                        .answer(101, null, "Switching to WebSocket (API §4)").errors(429),
                ApiRoute.get("/jobs/{id}/ws", "WebSocket with the job subscribed on connect", sockets::jobSocket)
                        .streaming().answer(101, null, "Switching to WebSocket (API §4)").errors(404, 429),
                ApiRoute.post("/keys", "Create an API key (admin); the answer holds its secret", keyRoutes::create)
                        .body(body, "CreateApiKey").answer(201, "ApiKeyCreated", "The key and its secret")
                        .errors(413, 415, 429),
                ApiRoute.get("/keys", "List API keys (admin)", keyRoutes::list)
                        .answer(200, "ApiKeyList", "Every key"),
                ApiRoute.post("/keys/{id}/revoke", "Revoke an API key (admin)", keyRoutes::revoke)
                        .optionalBody(body, EMPTY).answer(200, "Revoked", "The key no longer works")
                        .errors(404, 413, 415, 429));
        this.headerDeadline = new HeaderDeadline(vertx, options.headerTimeout().toMillis(),
                options.idleTimeout().toMillis());
        this.writes = new Writes(new RateLimiter(options.auth().writesPerSecond(), options.auth().writeBurst()));
        this.corsOrigins = options.auth().corsOrigins();
        this.router = build(vertx, authenticator, limits);
    }

    /** A write to one job: unknown (404), finished (409), too large, not JSON, or over the write limit. */
    private static ApiRoute jobWrite(String path, String summary, Handler<RoutingContext> handler) {
        return ApiRoute.post(path, summary, handler).errors(404, 409, 413, 415, 429);
    }

    /** A change of status, answered with the job. */
    private static ApiRoute transition(String path, String summary, Handler<RoutingContext> handler) {
        return jobWrite(path, summary, handler).answer(200, JOB, "The job after the change", ETAG);
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

    private Router build(Vertx vertx, Authenticator authenticator, Limits limits) {
        Router r = Router.router(vertx);
        r.route().handler(headerDeadline);
        r.route().handler(this::count);
        String openApi = OpenApi.document(routes, VERSION, limits);
        r.get(OPENAPI).handler(ctx -> Http.json(ctx, 200, openApi));
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
        r.route(ApiRoute.PREFIX + "/*").handler(new Auth(authenticator, routes));
        for (ApiRoute api : routes) {
            Route route = api.isRegex() ? r.routeWithRegex(api.method(), api.routerPath())
                    : r.route(api.method(), api.routerPath());
            route.putMetadata(ApiRoute.METADATA, api);
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
        boolean known = path.equals(OPENAPI) || routes.stream().anyMatch(api -> api.matches(path));
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
            Object api = route == null ? null : route.getMetadata(ApiRoute.METADATA);
            metrics.request(ctx.request().method().name(), api instanceof ApiRoute r ? r.label() : "other",
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
