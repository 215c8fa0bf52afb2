package dev.herald.server.edge;

import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.json.JobJson;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/** Small pieces every route uses: answering JSON, answering a future on the request's thread, refusing. */
public final class Http {
    public static final String JSON = "application/json";
    /** {@link #JSON} made once as Netty's kind of text, which keeps its hash and is copied as bytes. */
    private static final CharSequence JSON_TYPE = HttpHeaders.createOptimized(JSON);
    private static final int MAX_LEASE_TOKEN = 100;
    private static final CharSequence LEASE_TOKEN = HttpHeaders.createOptimized("Lease-Token");

    private Http() {
    }

    /** A handler whose refusals, thrown or not, become error answers. */
    public static Handler<RoutingContext> guarded(Handler<RoutingContext> h) {
        return ctx -> {
            try {
                h.handle(ctx);
            } catch (RuntimeException e) {
                ApiErrors.send(ctx, e);
            }
        };
    }

    public static void json(RoutingContext ctx, int status, String body) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON_TYPE).end(body);
    }

    /** The job as its API form; results larger than 16 KiB are left out (read them at {@code /result}). */
    public static void job(RoutingContext ctx, int status, Job job) {
        ctx.response().putHeader("ETag", etag(job));
        json(ctx, status, JobJson.toJson(job, JobJson.EVENT_RESULT_LIMIT));
    }

    public static String etag(Job job) {
        return "\"" + job.version() + "\"";
    }

    /** Answers when the future completes, back on the request's own event loop. */
    public static <T> void answer(RoutingContext ctx, CompletableFuture<T> future, BiConsumer<RoutingContext, T> ok) {
        Context context = Vertx.currentContext();
        future.whenComplete((value, error) -> onContext(context, () -> {
            if (error != null) {
                ApiErrors.send(ctx, error);
                return;
            }
            try {
                ok.accept(ctx, value);
            } catch (RuntimeException e) {
                ApiErrors.send(ctx, e);
            }
        }));
    }

    public static void onContext(Context context, Runnable r) {
        if (context == null || Vertx.currentContext() == context) {
            r.run();
        } else {
            context.runOnContext(v -> r.run());
        }
    }

    /** The job id of the path; anything that cannot be an id is answered like an unknown job. */
    public static String jobId(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        if (!dev.herald.core.engine.IdGenerator.looksLikeJobId(id)) {
            throw HeraldException.notFound();
        }
        return id;
    }

    public static HeraldException invalid(String field, String message) {
        return HeraldException.field(ErrorCode.INVALID_FIELD, field, message);
    }

    /** The request's {@code Lease-Token}, or null; sent twice, or not a token the server could have made, refused. */
    public static String leaseToken(RoutingContext ctx) {
        MultiMap headers = ctx.request().headers();
        if (!headers.contains(LEASE_TOKEN)) {
            return null; // the usual case: no list to make
        }
        List<String> tokens = headers.getAll(LEASE_TOKEN);
        if (tokens.size() > 1) {
            throw invalid("Lease-Token", "Lease-Token given twice");
        }
        if (tokens.isEmpty()) {
            return null;
        }
        String token = tokens.get(0);
        if (token.length() > MAX_LEASE_TOKEN || !token.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
            throw invalid("Lease-Token", "Lease-Token must be the token of a claim");
        }
        return token;
    }
}
