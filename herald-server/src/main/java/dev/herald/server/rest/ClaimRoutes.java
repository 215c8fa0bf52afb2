package dev.herald.server.rest;

import dev.herald.core.command.ClaimRequest;
import dev.herald.core.engine.JobEngine;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.json.JobJson;
import dev.herald.server.auth.Access;
import dev.herald.server.auth.Principal;
import dev.herald.server.edge.Auth;
import dev.herald.server.edge.BodyReader;
import dev.herald.server.edge.Http;
import dev.herald.server.edge.QueryParams;
import io.vertx.ext.web.RoutingContext;

import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The worker routes (API §9): claiming a queued job, and reading a job's input. */
public final class ClaimRoutes {
    private static final System.Logger LOG = System.getLogger(ClaimRoutes.class.getName());

    private final JobEngine engine;
    private final Access access;
    private final BodyReader bodies;

    public ClaimRoutes(JobEngine engine, Access access, BodyReader bodies) {
        this.engine = engine;
        this.access = access;
        this.bodies = bodies;
    }

    public void claim(RoutingContext ctx) {
        QueryParams.of(ctx);
        Principal caller = Auth.caller(ctx);
        ClaimRequest request = bodies.read(ctx, ClaimBodies.CLAIM);
        CompletableFuture<Optional<Job>> claimed = claim(caller, request);
        // a claimer that leaves ends its wait; the engine gives back a job taken for it meanwhile
        ctx.response().closeHandler(v -> claimed.cancel(false));
        CompletableFuture<Optional<Job>> answer = claimed.exceptionallyCompose(e -> claimed.isCancelled()
                ? CompletableFuture.completedFuture(Optional.empty()) : CompletableFuture.failedFuture(e));
        Http.answer(ctx, answer, (c, job) -> {
            if (c.response().closed()) {
                job.ifPresent(this::giveBack);
            } else if (job.isEmpty()) {
                c.response().setStatusCode(204).end();
            } else {
                c.response().putHeader("ETag", Http.etag(job.get()));
                Http.json(c, 200, JobJson.toClaimedJson(job.get()));
            }
        });
    }

    /** A job of the request's types in the caller's projects, now held by the caller's worker; empty for none. */
    public CompletableFuture<Optional<Job>> claim(Principal caller, ClaimRequest request) {
        Access.requireWrite(caller);
        if (caller.jobs() != null) {
            // such a token may touch the jobs it names only, and a claim would hand it any job of a type
            throw new HeraldException(ErrorCode.FORBIDDEN, "a token limited to named jobs cannot claim jobs");
        }
        return engine.claim(request.within(caller.allProjects() ? null : caller.projects()));
    }

    /** The claimer went away while its claim waited: the job goes back to the queue, its attempt not counted. */
    private void giveBack(Job job) {
        engine.leased(job.lease().token()).release(job.id()).whenComplete((j, failure) -> {
            if (failure != null) {
                LOG.log(Level.DEBUG, "a job its claimer left could not be given back; its lease will end", failure);
            }
        });
    }

    public void input(RoutingContext ctx) {
        String id = Http.jobId(ctx);
        QueryParams.of(ctx);
        Http.answer(ctx, access.read(Auth.caller(ctx), id).thenCompose(job -> engine.input(id)),
                (c, input) -> Http.json(c, 200, input.map(i -> i.text()).orElse("null")));
    }
}
