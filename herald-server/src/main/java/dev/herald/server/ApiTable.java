package dev.herald.server;

import dev.herald.core.engine.JobEngine;
import dev.herald.core.port.EventBus;
import dev.herald.server.auth.Access;
import dev.herald.server.auth.ApiKeys;
import dev.herald.server.edge.ApiRoute;
import dev.herald.server.edge.BodyReader;
import dev.herald.server.edge.HeaderDeadline;
import dev.herald.server.edge.Http;
import dev.herald.server.edge.Limits;
import dev.herald.server.edge.PublicRoute;
import dev.herald.server.local.LocalStreams;
import dev.herald.server.local.LocalTransport;
import dev.herald.server.metrics.HeraldMetrics;
import dev.herald.server.openapi.OpenApi;
import dev.herald.server.rest.ClaimBodies;
import dev.herald.server.rest.ClaimRoutes;
import dev.herald.server.rest.Draining;
import dev.herald.server.rest.HealthRoutes;
import dev.herald.server.rest.JobBodies;
import dev.herald.server.rest.JobRoutes;
import dev.herald.server.rest.KeyBodies;
import dev.herald.server.rest.KeyRoutes;
import dev.herald.server.rest.ProgressBodies;
import dev.herald.server.rest.ProgressRoutes;
import dev.herald.server.rest.StatsRoutes;
import dev.herald.server.stream.FanOut;
import dev.herald.server.stream.JobReads;
import dev.herald.server.stream.OpenStreams;
import dev.herald.server.stream.SseRoutes;
import dev.herald.server.stream.StreamContext;
import dev.herald.server.stream.WebSocketRoutes;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.function.Supplier;

import static dev.herald.server.edge.ApiParam.CURSOR;
import static dev.herald.server.edge.ApiParam.DESCENDANTS;
import static dev.herald.server.edge.ApiParam.IDEMPOTENCY_KEY;
import static dev.herald.server.edge.ApiParam.IF_NONE_MATCH;
import static dev.herald.server.edge.ApiParam.JOBS;
import static dev.herald.server.edge.ApiParam.JOB_LIMIT;
import static dev.herald.server.edge.ApiParam.LAST_EVENT_ID;
import static dev.herald.server.edge.ApiParam.LAST_EVENT_ID_HEADER;
import static dev.herald.server.edge.ApiParam.LEASE_TOKEN;
import static dev.herald.server.edge.ApiParam.LOG_AFTER;
import static dev.herald.server.edge.ApiParam.LOG_LIMIT;
import static dev.herald.server.edge.ApiParam.OWNER;
import static dev.herald.server.edge.ApiParam.PARENT_ID;
import static dev.herald.server.edge.ApiParam.PROJECT;
import static dev.herald.server.edge.ApiParam.STATS_PROJECT;
import static dev.herald.server.edge.ApiParam.STATUS;
import static dev.herald.server.edge.ApiParam.STREAM_PROJECT;
import static dev.herald.server.edge.ApiParam.TIMEOUT_MS;
import static dev.herald.server.edge.ApiParam.TYPE;
import static dev.herald.server.edge.ApiParam.TYPES;
import static dev.herald.server.edge.ApiParam.WAIT_FOR_VERSION;

/**
 * Every endpoint of the server in one table: the API routes of {@code rest} and {@code stream}, and the public
 * ones (health, metrics, {@code /openapi.json}, which is made from the same table).
 */
final class ApiTable implements AutoCloseable {
    private static final String VERSION = "0.1.0";
    private static final String JOB = "Job";
    private static final String ETAG = "ETag";
    private static final String LOCATION = "Location";

    private final SseRoutes sse;
    private final WebSocketRoutes sockets;
    private final List<ApiRoute> routes;
    private final List<PublicRoute> open;
    /** A transport into the same routes without HTTP: see {@link #localTransport}. */
    private final Supplier<LocalTransport> local;

    ApiTable(Vertx vertx, JobEngine engine, EventBus bus, FanOut fanOut, OpenStreams openStreams,
             HeraldMetrics metrics, ApiKeys keys, ServerOptions options, Draining draining,
             HeaderDeadline headerDeadline) {
        Limits limits = options.limits();
        Access access = new Access(engine);
        StreamContext shared = new StreamContext(vertx, engine, access, fanOut, openStreams, metrics, limits,
                options.maxQueuedPerReader(), options.keepAlive(), options.clock());
        BodyReader bodies = new BodyReader(limits);
        JobRoutes jobs = new JobRoutes(engine, access, limits, bodies);
        ProgressRoutes progress = new ProgressRoutes(engine, access, bodies, metrics);
        ClaimRoutes claims = new ClaimRoutes(engine, access, bodies);
        KeyRoutes keyRoutes = new KeyRoutes(vertx, keys, bodies);
        StatsRoutes stats = new StatsRoutes(engine, limits);
        JobReads reads = new JobReads(shared);
        this.local = () -> new LocalTransport(engine, access, jobs, progress, keyRoutes, claims, bodies, limits,
                new LocalStreams(shared));
        this.sse = new SseRoutes(shared, headerDeadline);
        this.sockets = new WebSocketRoutes(shared);
        this.routes = List.of(
                ApiRoute.post("/jobs", "Create a job", jobs::create).body(JobBodies.CREATE).params(IDEMPOTENCY_KEY)
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
                jobWrite("/jobs/{id}/progress", "Report progress", progress::progress).body(ProgressBodies.PROGRESS)
                        .answer(202, "ProgressAccepted", "The report was applied"),
                transition("/jobs/{id}/start", "Start a job", jobs::start).body(JobBodies.EMPTY),
                jobWrite("/jobs/{id}/complete", "Complete a job; with claim, take the worker's next jobs too",
                        claims::complete).body(JobBodies.COMPLETE)
                        .answer(200, "Completed", "The job after the change (ETag given), or with claim {job, next}",
                                ETAG).errors(403, 404, 409, 413, 415, 429),
                transition("/jobs/{id}/fail", "Fail a job", jobs::fail).body(JobBodies.FAIL),
                transition("/jobs/{id}/cancel", "Cancel a job and its unfinished descendants", jobs::cancel)
                        .body(JobBodies.EMPTY),
                transition("/jobs/{id}/retry", "Queue a job again, claimable after delayMs", jobs::retry)
                        .body(ClaimBodies.RETRY),
                jobWrite("/jobs/{id}/heartbeat", "Tell that the worker is alive", jobs::heartbeat)
                        .body(JobBodies.EMPTY).answer(204, null, "Noted"),
                jobWrite("/jobs/{id}/logs", "Append a log line", progress::appendLog).body(ProgressBodies.LOG)
                        .answer(202, "LogAccepted", "The line was appended"),
                ApiRoute.get("/jobs/{id}/logs", "Read log lines", progress::logs).params(LOG_AFTER, LOG_LIMIT)
                        .answer(200, "LogPage", "Log lines in order").errors(404),
                ApiRoute.get("/jobs/{id}/children", "List direct children, newest first", jobs::children)
                        .params(STATUS, TYPE, OWNER, JOB_LIMIT, CURSOR)
                        .answer(200, "JobPage", "A page of children").errors(404),
                ApiRoute.get("/jobs/{id}/result", "Read the full result", jobs::result)
                        .answer(200, "Result", "The result").errors(404),
                ApiRoute.get("/jobs/{id}/input", "Read the input the job was created with", claims::input)
                        .answer(200, "Input", "The input object, or null").errors(404),
                ApiRoute.post("/jobs:claim", "Claim the oldest queued jobs of some types (API §9)", claims::claim)
                        .body(ClaimBodies.CLAIM)
                        .answer(200, "Claimed", "The job (ETag given), or with limit {jobs}, running under the "
                                + "worker's lease, which has its token", ETAG)
                        .answer(204, null, "No job of those types came within waitMs")
                        .errors(403, 413, 415, 429),
                ApiRoute.post("/progress:batch", "Report progress of many jobs", progress::batch).body(ProgressBodies.BATCH)
                        .answer(200, "BatchResults", "One result per entry").errors(413, 415, 429),
                ApiRoute.get("/jobs/{id}/events", "Stream one job as Server-Sent Events", sse::jobEvents)
                        .streaming().params(TYPES, LAST_EVENT_ID, DESCENDANTS, LAST_EVENT_ID_HEADER)
                        .answer(200, null, "Snapshots, then live events").errors(404, 429),
                ApiRoute.get("/events", "Stream jobs or a project as Server-Sent Events", sse::events)
                        .streaming().params(JOBS, STREAM_PROJECT, TYPES, LAST_EVENT_ID, LAST_EVENT_ID_HEADER)
                        .answer(200, null, "Snapshots, then live events").errors(404, 413, 429),
                ApiRoute.get("/ws", "WebSocket: subscribe to jobs by message", sockets::socket).streaming()
                        .answer(101, null, "Switching to WebSocket (API §4)").errors(403, 429),
                ApiRoute.get("/jobs/{id}/ws", "WebSocket with the job subscribed on connect", sockets::jobSocket)
                        .streaming().answer(101, null, "Switching to WebSocket (API §4)").errors(403, 404, 429),
                ApiRoute.get("/stats/types", "Describe the job types of a project from their history", stats::types)
                        .params(STATS_PROJECT).answer(200, "TypeStatsList", "Every type with a history, by type"),
                ApiRoute.get("/stats/statuses", "Count the jobs a listing's filters match, by status", stats::statuses)
                        .params(PROJECT, TYPE, PARENT_ID, OWNER).answer(200, "StatusCounts", "The counts, every status"),
                ApiRoute.post("/keys", "Create an API key (admin); the answer holds its secret", keyRoutes::create)
                        .body(KeyBodies.CREATE).answer(201, "ApiKeyCreated", "The key and its secret")
                        .errors(413, 415, 429),
                ApiRoute.get("/keys", "List API keys (admin)", keyRoutes::list)
                        .answer(200, "ApiKeyList", "Every key"),
                ApiRoute.post("/keys/{id}/revoke", "Revoke an API key (admin)", keyRoutes::revoke)
                        .body(JobBodies.EMPTY).answer(200, "Revoked", "The key no longer works")
                        .errors(404, 413, 415, 429));
        String openApi = OpenApi.document(routes, VERSION, limits);
        HealthRoutes health = new HealthRoutes(engine, bus, draining);
        this.open = List.of(
                new PublicRoute(ApiRoute.PREFIX + "/openapi.json", ctx -> Http.json(ctx, 200, openApi)),
                new PublicRoute("/health/live", health::live),
                new PublicRoute("/health/ready", health::ready),
                new PublicRoute("/metrics", ctx -> ctx.response()
                        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(metrics.scrape())));
    }

    /** A write to one job: unknown (404), finished (409), too large, not JSON, or over the write limit. */
    private static ApiRoute jobWrite(String path, String summary, Handler<RoutingContext> handler) {
        return ApiRoute.post(path, summary, handler).params(LEASE_TOKEN).errors(404, 409, 413, 415, 429);
    }

    /** A change of status, answered with the job. */
    private static ApiRoute transition(String path, String summary, Handler<RoutingContext> handler) {
        return jobWrite(path, summary, handler).answer(200, JOB, "The job after the change", ETAG);
    }

    /** A new in-process transport, as the operator; closing it ends its streams only. */
    LocalTransport localTransport() {
        return local.get();
    }

    List<ApiRoute> routes() {
        return routes;
    }

    /** Served without a token. */
    List<PublicRoute> open() {
        return open;
    }

    @Override
    public void close() {
        sse.close();
        sockets.close();
    }
}
