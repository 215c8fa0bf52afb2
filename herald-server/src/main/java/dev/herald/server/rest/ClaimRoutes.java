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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;

/**
 * The worker routes (API §9): claiming a queued job, completing one (which may claim the next), and reading a
 * job's input.
 */
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
        ClaimRequest request = within(Auth.caller(ctx), bodies.read(ctx, ClaimBodies.CLAIM));
        CompletableFuture<Optional<Job>> first = engine.claim(request);
        // a claimer that leaves ends its wait; the engine gives back a job taken for it meanwhile
        ctx.response().closeHandler(v -> first.cancel(false));
        CompletableFuture<Optional<Job>> answer = first.exceptionallyCompose(e -> first.isCancelled()
                ? CompletableFuture.completedFuture(Optional.empty()) : CompletableFuture.failedFuture(e));
        Http.answer(ctx, answer.thenCompose(job -> rest(request, job)), (c, jobs) -> {
            if (c.response().closed()) {
                jobs.forEach(this::giveBack);
            } else if (jobs.isEmpty()) {
                c.response().setStatusCode(204).end();
            } else if (request.limit() == 0) {
                c.response().putHeader("ETag", Http.etag(jobs.get(0)));
                Http.json(c, 200, JobJson.toClaimedJson(jobs.get(0)));
            } else {
                StringJoiner list = new StringJoiner(",", "{\"jobs\":[", "]}");
                jobs.forEach(job -> list.add(JobJson.toClaimedJson(job)));
                Http.json(c, 200, list.toString());
            }
        });
    }

    /**
     * Jobs of the request's types in the caller's projects, now held by the caller's worker, oldest first: one
     * without a {@code limit}, up to it with one; empty for none.
     */
    public CompletableFuture<List<Job>> claim(Principal caller, ClaimRequest request) {
        ClaimRequest within = within(caller, request);
        return engine.claim(within).thenCompose(job -> rest(within, job));
    }

    private static ClaimRequest within(Principal caller, ClaimRequest request) {
        Access.requireWrite(caller);
        if (caller.jobs() != null) {
            // such a token may touch the jobs it names only, and a claim would hand it any job of a type
            throw new HeraldException(ErrorCode.FORBIDDEN, "a token limited to named jobs cannot claim jobs");
        }
        return request.within(caller.allProjects() ? null : caller.projects());
    }

    /**
     * {@code POST /jobs/{id}/complete}: with a {@code claim} in the body, the worker's next jobs come in the same
     * answer, {@code {"job", "next"}}; without, the job alone with its {@code ETag}.
     */
    public void complete(RoutingContext ctx) {
        Completion body = bodies.read(ctx, JobBodies.COMPLETE);
        String id = Http.jobId(ctx);
        QueryParams.of(ctx);
        Http.answer(ctx, complete(Auth.caller(ctx), Http.leaseToken(ctx), id, body), (c, done) -> {
            if (body.claim() == null) {
                Http.job(c, 200, done.job());
            } else if (c.response().closed()) {
                done.next().forEach(this::giveBack);
            } else {
                StringJoiner next = new StringJoiner(",", "{\"job\":" + JobJson.toJson(done.job(),
                        JobJson.EVENT_RESULT_LIMIT) + ",\"next\":[", "]}");
                done.next().forEach(job -> next.add(JobJson.toClaimedJson(job)));
                Http.json(c, 200, next.toString());
            }
        });
    }

    /**
     * Completes the job as the holder of {@code leaseToken} (null: no lease) and, when the body claims, takes the
     * worker's next jobs at once. The claim starts as soon as the completion is queued for the store, so the
     * completion and the next jobs' moves to running share the store's commits: one commit's wait per job for a
     * busy worker instead of two. Nothing is answered before the completion is durable; a completion refused
     * gives the jobs taken for it back to the queue.
     */
    public CompletableFuture<Completed> complete(Principal caller, String leaseToken, String id, Completion body) {
        return access.write(caller, id).thenCompose(allowed -> completeAllowed(caller, leaseToken, id, body));
    }

    /** {@link #complete} once the caller's right to write the job was checked. */
    public CompletableFuture<Completed> completeAllowed(Principal caller, String leaseToken, String id,
                                                        Completion body) {
        ClaimRequest next = body.claim() == null ? null : within(caller, body.claim());
        CompletableFuture<Job> done = engine.leased(leaseToken).complete(id, body.result());
        if (next == null || done.isCompletedExceptionally()) {
            return done.thenApply(j -> new Completed(j, List.of()));
        }
        CompletableFuture<List<Job>> taken = engine.claim(next).thenCompose(first -> rest(next, first))
                .exceptionally(fault -> List.of()); // the completion stands; the worker claims again
        done.whenComplete((j, refused) -> {
            if (refused != null) {
                taken.thenAccept(jobs -> jobs.forEach(this::giveBack));
            }
        });
        return done.thenCombine(taken, Completed::new);
    }

    /** A completed job, and the worker's next jobs its completion claimed (none when it claimed none). */
    public record Completed(Job job, List<Job> next) {
    }

    /** After the first job, which may have been waited for, the rest of a claim's limit: taken at once. */
    private CompletableFuture<List<Job>> rest(ClaimRequest request, Optional<Job> first) {
        if (first.isEmpty() || request.limit() <= 1) {
            return CompletableFuture.completedFuture(first.stream().toList());
        }
        return engine.claimMore(request, request.limit() - 1).thenApply(more -> {
            List<Job> jobs = new ArrayList<>(more.size() + 1);
            jobs.add(first.get());
            jobs.addAll(more);
            return jobs;
        });
    }

    /** The claimer went away while its claim waited: the job goes back to the queue, its attempt not counted. */
    public void giveBack(Job job) {
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
