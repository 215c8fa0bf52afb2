package dev.herald.server.edge;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Headers that tell browsers what an answer may do. The dashboard's files allow their own origin only, no
 * inline script or style and no framing, and send no Referer, as a dashboard URL may carry a token.
 */
final class SecurityHeaders {
    private static final String DASHBOARD_POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
            + " img-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    // made once: a header name of Netty's own kind keeps its hash and is copied as bytes, on every answer
    private static final CharSequence NO_SNIFF_NAME = HttpHeaders.createOptimized("X-Content-Type-Options");
    private static final CharSequence NO_SNIFF = HttpHeaders.createOptimized("nosniff");

    private SecurityHeaders() {
    }

    /** Every answer, JSON ones too: a browser must never read one as a script or a page. */
    static void noSniffing(HttpServerResponse response) {
        response.putHeader(NO_SNIFF_NAME, NO_SNIFF);
    }

    static void dashboard(RoutingContext ctx) {
        ctx.response().putHeader("Content-Security-Policy", DASHBOARD_POLICY)
                .putHeader("Referrer-Policy", "no-referrer");
        ctx.next();
    }
}
