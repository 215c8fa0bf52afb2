package dev.herald.server.edge;

import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.server.auth.Principal;
import dev.herald.server.auth.RateLimiter;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * The per-credential limits on writes (token buckets, docs/security.md): every write request takes one token of
 * the request budget, a batch too, and a batch also takes one token per entry of the larger entry budget. A
 * worker whose SDK sends a thousand jobs' updates as one batch a tick so costs one request, not a thousand.
 * Over either limit: 429 {@code rate_limited} with {@code Retry-After}. The admin token is the operator's and is
 * not limited.
 */
public final class Writes implements Handler<RoutingContext> {
    private static final String ENTRIES = "herald.entries";

    private final RateLimiter requests;
    private final RateLimiter entries;

    public Writes(RateLimiter requests, RateLimiter entries) {
        this.requests = requests;
        this.entries = entries;
    }

    @Override
    public void handle(RoutingContext ctx) {
        ctx.put(ENTRIES, entries);
        Principal p = Auth.caller(ctx);
        try {
            if (p != null && !p.isOperator()) {
                take(ctx, requests, p, 1, "write requests");
            }
        } catch (HeraldException e) {
            ApiErrors.send(ctx.response(), e);
            return;
        }
        ctx.next();
    }

    /**
     * Takes a batch's {@code n} entries from the entry budget; throws {@code rate_limited} when they are not
     * there. A batch larger than the whole burst could never pass, so it is refused as {@code too_large} instead
     * of being told to retry.
     */
    public static void chargeEntries(RoutingContext ctx, int n) {
        RateLimiter limiter = ctx.get(ENTRIES);
        Principal p = Auth.caller(ctx);
        if (limiter == null || n <= 0 || p == null || p.isOperator() || !limiter.isOn()) {
            return;
        }
        if (n > limiter.burst()) {
            throw new HeraldException(ErrorCode.TOO_LARGE, "this token may send at most " + limiter.burst()
                    + " batch entries at once (its burst): send smaller batches");
        }
        take(ctx, limiter, p, n, "batch entries");
    }

    private static void take(RoutingContext ctx, RateLimiter limiter, Principal p, int n, String what) {
        long waitMs = limiter.take(p.keyId() != null ? "key:" + p.keyId() : "sub:" + p.subject(), n);
        if (waitMs > 0) {
            long seconds = Math.max(1, (waitMs + 999) / 1000);
            ctx.response().putHeader("Retry-After", Long.toString(seconds));
            throw new HeraldException(ErrorCode.RATE_LIMITED, "too many " + what + " with this token; retry after "
                    + seconds + " s");
        }
    }
}
