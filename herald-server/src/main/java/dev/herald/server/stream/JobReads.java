package dev.herald.server.stream;

import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.server.auth.Principal;
import dev.herald.server.edge.ApiErrors;
import dev.herald.server.edge.ApiParam;
import dev.herald.server.edge.Auth;
import dev.herald.server.edge.Http;
import dev.herald.server.edge.QueryParams;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * {@code GET /jobs/{id}} (API §2): the job, read conditionally ({@code ETag}) or long-polled with
 * {@code waitForVersion}, the way to follow a job where neither SSE nor WebSocket gets through.
 */
public final class JobReads {
    private final StreamContext shared;

    public JobReads(StreamContext shared) {
        this.shared = shared;
    }

    public void get(RoutingContext ctx) {
        String id = Http.jobId(ctx);
        QueryParams q = QueryParams.of(ctx);
        long timeout = q.number(ApiParam.TIMEOUT_MS);
        if (!q.has("waitForVersion") && q.has("timeoutMs")) {
            throw Http.invalid("timeoutMs", "timeoutMs goes with waitForVersion");
        }
        long after = q.number(ApiParam.WAIT_FOR_VERSION);
        // readable first: a long poll on a job the caller may not read is refused before it waits
        Principal caller = Auth.caller(ctx);
        CompletableFuture<Job> readable = shared.access().read(caller, id);
        if (after < 0) {
            // answered once published: the log lines its version counts are readable then
            Http.answer(ctx, readable.thenCompose(job -> shared.engine().settled(job)), JobReads::answer);
        } else {
            Http.answer(ctx, readable, (c, job) -> waitFor(c, caller, id, after, timeout));
        }
    }

    private static void answer(RoutingContext ctx, Job job) {
        String match = ctx.request().getHeader("If-None-Match");
        if (match != null && matches(match, Http.etag(job))) {
            ctx.response().putHeader("ETag", Http.etag(job)).setStatusCode(304).end();
        } else {
            Http.job(ctx, 200, job);
        }
    }

    private static boolean matches(String header, String etag) {
        for (String tag : header.split(",")) {
            String t = tag.trim();
            if (t.equals("*") || t.equals(etag) || t.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Answers as soon as the job's version passes {@code after}, or with the current job after the timeout.
     * A long poll holds a place among its credential's open streams, and ends with 401 when the credential
     * expires or is revoked, like a stream.
     */
    private void waitFor(RoutingContext ctx, Principal caller, String id, long after, long timeoutMs) {
        Context context = Vertx.currentContext();
        AtomicBoolean done = new AtomicBoolean();
        long[] timer = {-1};
        FanOut.Registration[] registration = new FanOut.Registration[1];
        OpenStreams.Stream[] held = new OpenStreams.Stream[1];
        // ends the wait once: with the job as it is then, or with the error
        Consumer<Throwable> finish = error -> {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            registration[0].close();
            shared.openStreams().remove(held[0]);
            shared.metrics().longPolls().decrementAndGet();
            Http.onContext(context, () -> {
                shared.vertx().cancelTimer(timer[0]);
                if (error != null) {
                    ApiErrors.send(ctx, error);
                } else {
                    Http.answer(ctx, shared.engine().settled(id), (c, job) -> Http.job(c, 200, job));
                }
            });
        };
        held[0] = reason -> finish.accept(new HeraldException(ErrorCode.UNAUTHORIZED, reason));
        if (!shared.openStreams().add(held[0], caller)) {
            throw new HeraldException(ErrorCode.RATE_LIMITED,
                    "this token holds too many open streams and long polls; close some");
        }
        shared.metrics().longPolls().incrementAndGet();
        registration[0] = shared.fanOut().register(List.of(id), e -> {
            if (e.event().version() > after) {
                finish.accept(null);
            }
        });
        ctx.response().closeHandler(v -> finish.accept(null));
        timer[0] = shared.vertx().setTimer(Math.max(1, timeoutMs), t -> finish.accept(null));
        shared.engine().get(id).whenComplete((job, error) -> {
            if (error != null || job.version() > after) {
                finish.accept(error);
            }
        });
    }
}
