package dev.herald.server.edge;

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
        Principal p = Auth.caller(ctx);
        try {
            if (p != null && !p.isOperator()) {
                take(ctx, limiter, p, 1);
            }
        } catch (HeraldException e) {
            ApiErrors.send(ctx.response(), e);
            return;
        }
        ctx.next();
    }

    /**
     * Takes {@code more} tokens for this request (a batch's further entries); throws
     * {@code rate_limited} when they are not there. A request larger than the whole
     * burst could never pass, so it is refused as {@code too_large} instead of being
     * told to retry.
     */
    public static void charge(RoutingContext ctx, int more) {
        RateLimiter limiter = ctx.get(LIMITER);
        Principal p = Auth.caller(ctx);
        if (limiter == null || more <= 0 || p == null || p.isOperator() || !limiter.isOn()) {
            return;
        }
        if (more + 1 > limiter.burst()) {
            throw new HeraldException(ErrorCode.TOO_LARGE, "this token may write at most " + limiter.burst()
                    + " entries at once (its burst): send smaller batches");
        }
        take(ctx, limiter, p, more);
    }

    private static void take(RoutingContext ctx, RateLimiter limiter, Principal p, int n) {
        long waitMs = limiter.take(p.keyId() != null ? "key:" + p.keyId() : "sub:" + p.subject(), n);
        if (waitMs > 0) {
            long seconds = Math.max(1, (waitMs + 999) / 1000);
            ctx.response().putHeader("Retry-After", Long.toString(seconds));
            throw new HeraldException(ErrorCode.RATE_LIMITED, "too many writes with this token; retry after "
                    + seconds + " s");
        }
    }
}
