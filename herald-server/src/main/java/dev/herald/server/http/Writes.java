package dev.herald.server.http;

import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.server.auth.Principal;
import dev.herald.server.auth.RateLimiter;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * The per-credential limit on writes (token bucket): every write request takes a
 * token, a batch one per entry. Over the limit: 429 {@code rate_limited} with
 * {@code Retry-After}. The admin token is the operator's and is not limited.
 */
public final class Writes implements Handler<RoutingContext> {
    private static final String LIMITER = "herald.writes";

    private final RateLimiter limiter;

    public Writes(RateLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public void handle(RoutingContext ctx) {
        ctx.put(LIMITER, limiter);
        try {
            charge(ctx, 1);
        } catch (HeraldException e) {
            ApiErrors.send(ctx.response(), e);
            return;
        }
        ctx.next();
    }

    /** Takes {@code n} more tokens for this request; throws {@code rate_limited} when they are not there. */
    public static void charge(RoutingContext ctx, int n) {
        RateLimiter limiter = ctx.get(LIMITER);
        Principal p = Auth.caller(ctx);
        if (limiter == null || n <= 0 || p == null || p.isOperator()) {
            return;
        }
        long waitMs = limiter.take(p.keyId() != null ? "key:" + p.keyId() : "sub:" + p.subject(), n);
        if (waitMs > 0) {
            ctx.response().putHeader("Retry-After", Long.toString(Math.max(1, (waitMs + 999) / 1000)));
            throw new HeraldException(ErrorCode.RATE_LIMITED, "too many writes with this token; retry after "
                    + Math.max(1, (waitMs + 999) / 1000) + " s");
        }
    }
}
