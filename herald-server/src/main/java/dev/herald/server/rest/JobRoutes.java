package dev.herald.server.rest;

import dev.herald.core.command.NewJob;
import dev.herald.core.engine.JobEngine;
import dev.herald.core.engine.LeasedWrites;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobError;
import dev.herald.core.model.JobStatus;
import dev.herald.core.port.JobPage;
import dev.herald.core.port.JobQuery;
import dev.herald.core.port.ListCursor;
import dev.herald.json.JobJson;
import dev.herald.server.auth.Access;
import dev.herald.server.auth.Principal;
import dev.herald.server.edge.ApiParam;
import dev.herald.server.edge.Auth;
import dev.herald.server.edge.BodyReader;
import dev.herald.server.edge.Http;
import dev.herald.server.edge.Limits;
import dev.herald.server.edge.QueryParams;
import dev.herald.server.edge.body.Text;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/** The job resource: create, read, list, the status changes, children and result (API §2). */
public final class JobRoutes {
    static final String DEFAULT_PROJECT = "default";

    private final JobEngine engine;
    private final Limits limits;
    private final BodyReader bodies;
    private final Access access;

    public JobRoutes(JobEngine engine, Access access, Limits limits, BodyReader bodies) {
        this.engine = engine;
        this.access = access;
        this.limits = limits;
        this.bodies = bodies;
    }

    public void create(RoutingContext ctx) {
        QueryParams.of(ctx);
        Principal caller = Auth.caller(ctx);
        Access.requireWrite(caller);
        NewJob req = bodies.read(ctx, JobBodies.CREATE);
        String key = idempotencyKey(limits, ctx.request().headers().getAll("Idempotency-Key"));
        Http.answer(ctx, create(caller, req, key), (c, created) -> {
            c.response().putHeader("Location", "/api/v1/jobs/" + created.job().id());
            Http.job(c, created.isNew() ? 201 : 200, created.job());
        });
    }

    /** Creates the job read from a create's body for the caller, with the create's checked idempotency key or null. */
    public CompletableFuture<JobEngine.Created> create(Principal caller, NewJob req, String key) {
        String project = req.project() != null ? req.project() : caller.defaultProject(DEFAULT_PROJECT);
        if (req.parentId() == null && !caller.mayReadProject(project)) {
            throw Http.invalid("project", "this token may not use project '" + project + "'");
        }
        NewJob cmd = req.inProject(project).by(caller.subject(), key);
        // a child goes to its parent's project: the parent must be readable, like any job named in a request
        CompletableFuture<?> parent = req.parentId() == null ? CompletableFuture.completedFuture(null)
                : access.read(caller, req.parentId());
        // an earlier create with the same key may have made a job this caller may not read (a jobs claim)
        return parent.thenCompose(p -> engine.create(cmd))
                .thenCompose(created -> created.isNew() ? CompletableFuture.completedFuture(created)
                        : access.readable(caller, created.job()).thenApply(ok -> {
                            if (!ok) {
                                throw HeraldException.notFound();
                            }
                            return created;
                        }));
    }

    /** The create's {@code Idempotency-Key}, or null; sent twice, it is ambiguous and refused. */
    public static String idempotencyKey(Limits limits, List<String> headers) {
        if (headers.size() > 1) {
            throw Http.invalid("Idempotency-Key", "Idempotency-Key given twice");
        }
        return headers.isEmpty() ? null : Text.ID.check(headers.get(0), "Idempotency-Key", limits);
    }

    public void list(RoutingContext ctx) {
        QueryParams q = QueryParams.of(ctx);
        Principal caller = Auth.caller(ctx);
        Http.answer(ctx, list(caller, q), JobRoutes::page);
    }

    /** A page of the jobs the caller may read that the list's parameters ask for. */
    public CompletableFuture<JobPage> list(Principal caller, QueryParams q) {
        return readable(caller, engine.list(query(caller, q, q.text("parentId", limits.maxNameChars()))));
    }

    /** Leaves out what a {@code jobs} claim does not cover; projects were already filtered by the query. */
    private CompletableFuture<JobPage> readable(Principal caller, CompletableFuture<JobPage> page) {
        if (caller.jobs() == null) {
            return page;
        }
        return page.thenCompose(p -> {
            List<CompletableFuture<Boolean>> checks = p.items().stream().map(j -> access.readable(caller, j)).toList();
            return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).thenApply(v -> {
                List<Job> kept = new ArrayList<>();
                for (int i = 0; i < checks.size(); i++) {
                    if (checks.get(i).join()) {
                        kept.add(p.items().get(i));
                    }
                }
                return new JobPage(kept, p.next());
            });
        });
    }

    public void children(RoutingContext ctx) {
        String id = Http.jobId(ctx);
        QueryParams q = QueryParams.of(ctx);
        Principal caller = Auth.caller(ctx);
        JobQuery query = query(caller, q, id);
        // the children of a readable job are readable: same project, and below whatever a jobs claim names
        Http.answer(ctx, access.read(caller, id).thenCompose(parent -> engine.list(query)), JobRoutes::page);
    }

    /** The query, within the caller's projects. */
    private JobQuery query(Principal caller, QueryParams q, String parentId) {
        String statusText = q.text("status", 20);
        JobStatus status = statusText == null ? null : JobStatus.fromWire(statusText)
                .orElseThrow(() -> Http.invalid("status", "unknown status '" + statusText + "'"));
        String cursorText = q.text("cursor", 200);
        ListCursor cursor = cursorText == null ? null : ListCursor.decode(cursorText)
                .orElseThrow(() -> Http.invalid("cursor", "the cursor is not one this server gave out"));
        String project = q.has("project") ? q.text("project", limits.maxNameChars()) : null;
        return new JobQuery(caller.projectsToList(project), status, q.text("type", limits.maxNameChars()),
                parentId, q.text("owner", limits.maxNameChars()), (int) q.number(ApiParam.JOB_LIMIT), cursor);
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
        bodies.read(ctx, JobBodies.EMPTY);
        transition(ctx, LeasedWrites::start);
    }

    public void fail(RoutingContext ctx) {
        JobError error = bodies.read(ctx, JobBodies.FAIL);
        transition(ctx, (w, id) -> w.fail(id, error));
    }

    public void cancel(RoutingContext ctx) {
        bodies.read(ctx, JobBodies.EMPTY);
        transition(ctx, LeasedWrites::cancel);
    }

    public void retry(RoutingContext ctx) {
        Long delayMs = bodies.read(ctx, ClaimBodies.RETRY);
        transition(ctx, (w, id) -> w.retry(id, delayMs == null ? 0 : delayMs));
    }

    /**
     * Everything about the request is checked before the change is made. A {@code Lease-Token} makes it the
     * write of the worker holding that claim (API §9).
     */
    private void transition(RoutingContext ctx, BiFunction<LeasedWrites, String, CompletableFuture<Job>> change) {
        String id = Http.jobId(ctx);
        QueryParams.of(ctx);
        LeasedWrites writes = engine.leased(Http.leaseToken(ctx));
        Http.answer(ctx, access.write(Auth.caller(ctx), id).thenCompose(allowed -> change.apply(writes, id)),
                (c, job) -> Http.job(c, 200, job));
    }

    public void heartbeat(RoutingContext ctx) {
        String id = Http.jobId(ctx);
        QueryParams.of(ctx);
        bodies.read(ctx, JobBodies.EMPTY);
        LeasedWrites writes = engine.leased(Http.leaseToken(ctx));
        Http.answer(ctx, access.write(Auth.caller(ctx), id).thenCompose(allowed -> writes.heartbeat(id)),
                (c, v) -> c.response().setStatusCode(204).end());
    }

    public void result(RoutingContext ctx) {
        String id = Http.jobId(ctx);
        QueryParams.of(ctx);
        Http.answer(ctx, access.read(Auth.caller(ctx), id), (c, job) -> Http.json(c, 200,
                "{\"result\":" + (job.result() == null ? "null" : job.result().text()) + "}"));
    }
}
