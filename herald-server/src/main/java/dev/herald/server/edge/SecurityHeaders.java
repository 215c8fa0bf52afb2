package dev.herald.server.edge;

import io.vertx.ext.web.RoutingContext;

/**
 * Headers that tell browsers what an answer may do. The dashboard's files allow their own origin only, no
 * inline script or style and no framing, and send no Referer, as a dashboard URL may carry a token.
 */
final class SecurityHeaders {
    private static final String DASHBOARD_POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
            + " img-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private SecurityHeaders() {
    }

    /** Every answer, JSON ones too: a browser must never read one as a script or a page. */
    static void noSniffing(RoutingContext ctx) {
        ctx.response().putHeader("X-Content-Type-Options", "nosniff");
        ctx.next();
    }

    static void dashboard(RoutingContext ctx) {
        ctx.response().putHeader("Content-Security-Policy", DASHBOARD_POLICY)
                .putHeader("Referrer-Policy", "no-referrer");
        ctx.next();
    }
}
