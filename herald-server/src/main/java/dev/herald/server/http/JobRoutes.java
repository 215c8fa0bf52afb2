package dev.herald.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.command.NewJob;
import dev.herald.core.engine.JobEngine;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.RawJson;
import dev.herald.core.port.JobPage;
import dev.herald.core.port.JobQuery;
import dev.herald.core.port.ListCursor;
import dev.herald.json.JobJson;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** The job resource: create, read, list, the status changes, children and result (API §2). */
public final class JobRoutes {
    static final String DEFAULT_PROJECT = "default";

    private final JobEngine engine;
    private final Requests requests;
    private final Limits limits;
    private final JsonBody bodies;

    public JobRoutes(JobEngine engine, Limits limits) {
        this.engine = engine;
        this.limits = limits;
        this.requests = new Requests(limits);
        this.bodies = new JsonBody(limits);
    }

    /** The parsed JSON body; refuses a body that is not declared as JSON (415). */
    JsonNode body(RoutingContext ctx, boolean optional) {
        return body(ctx, optional, limits.maxBodyBytes());
    }

    private JsonNode body(RoutingContext ctx, boolean optional, int maxBytes) {
        Buffer buffer = ctx.body() == null ? null : ctx.body().buffer();
        byte[] bytes = buffer == null ? new byte[0] : buffer.getBytes();
        if (bytes.length > 0) {
            String type = ctx.request().getHeader("Content-Type");
            if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith(Http.JSON)) {
                throw new HeraldException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                        "send the body as JSON with 'Content-Type: application/json'");
            }
        }
        return bodies.parse(bytes, optional, maxBytes);
    }

    public void create(RoutingContext ctx) {
        QueryParams.of(ctx, Set.of());
        CreateRequest req = requests.create(body(ctx, false));
        String key = requests.idempotencyKey(ctx.request().getHeader("Idempotency-Key"));
        String project = req.project() != null ? req.project() : DEFAULT_PROJECT;
        NewJob cmd = req.toCommand(project, Auth.caller(ctx).subject(), key);
        Http.answer(ctx, engine.create(cmd), (c, created) -> {
            c.response().putHeader("Location", "/api/v1/jobs/" + created.job().id());
            Http.job(c, created.isNew() ? 201 : 200, created.job());
        });
    }

    public void list(RoutingContext ctx) {
        QueryParams q = QueryParams.of(ctx, Set.of("status", "type", "parentId", "project", "owner", "limit", "cursor"));
        Http.answer(ctx, engine.list(query(q, q.text("parentId", limits.maxNameChars()))), JobRoutes::page);
    }

    public void children(RoutingContext ctx) {
        String id = Http.jobId(ctx);
        QueryParams q = QueryParams.of(ctx, Set.of("status", "type", "owner", "limit", "cursor"));
        JobQuery query = query(q, id);
        Http.answer(ctx, engine.get(id).thenCompose(parent -> engine.list(query)), JobRoutes::page);
    }

    private JobQuery query(QueryParams q, String parentId) {
        String statusText = q.text("status", 20);
        JobStatus status = statusText == null ? null : JobStatus.fromWire(statusText)
                .orElseThrow(() -> Http.invalid("status", "unknown status '" + statusText + "'"));
        String cursorText = q.text("cursor", 200);
        ListCursor cursor = cursorText == null ? null : ListCursor.decode(cursorText)
                .orElseThrow(() -> Http.invalid("cursor", "the cursor is not one this server gave out"));
        String project = q.has("project") ? q.text("project", limits.maxNameChars()) : null;
        return new JobQuery(project == null ? null : Set.of(project), status, q.text("type", limits.maxNameChars()),
                parentId, q.text("owner", limits.maxNameChars()), (int) q.number("limit", 1, 500, 50), cursor);
    }

    private static void page(RoutingContext ctx, JobPage page) {
        StringWriter out = new StringWriter(1024);
        try (var g = JobJson.mapper().getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("items");
            for (Job j : page.items()) {
                JobJson.write(g, j, JobJson.EVENT_RESULT_LIMIT);
            }
            g.writeEndArray();
            g.writeStringField("nextCursor", page.next() == null ? null : page.next().encode());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Http.json(ctx, 200, out.toString());
    }

    public void start(RoutingContext ctx) {
        String id = Http.jobId(ctx);
        requests.noFields(body(ctx, true));
        transition(ctx, engine.start(id));
    }

    public void complete(RoutingContext ctx) {
        String id = Http.jobId(ctx);
        RawJson result = requests.result(body(ctx, true, limits.completeBodyBytes()));
        transition(ctx, engine.complete(id, result));
    }

    public void fail(RoutingContext ctx) {
        String id = Http.jobId(ctx);
        transition(ctx, engine.fail(id, requests.error(body(ctx, false))));
    }

    public void cancel(RoutingContext ctx) {
        String id = Http.jobId(ctx);
        requests.noFields(body(ctx, true));
        transition(ctx, engine.cancel(id));
    }

    public void retry(RoutingContext ctx) {
        String id = Http.jobId(ctx);
        requests.noFields(body(ctx, true));
        transition(ctx, engine.retry(id));
    }

    private static void transition(RoutingContext ctx, CompletableFuture<Job> change) {
        QueryParams.of(ctx, Set.of());
        Http.answer(ctx, change, (c, job) -> Http.job(c, 200, job));
    }

    public void heartbeat(RoutingContext ctx) {
        String id = Http.jobId(ctx);
        requests.noFields(body(ctx, true));
        Http.answer(ctx, engine.heartbeat(id), (c, v) -> c.response().setStatusCode(204).end());
    }

    public void result(RoutingContext ctx) {
        String id = Http.jobId(ctx);
        QueryParams.of(ctx, Set.of());
        Http.answer(ctx, engine.get(id), (c, job) -> Http.json(c, 200,
                "{\"result\":" + (job.result() == null ? "null" : job.result().text()) + "}"));
    }
}
