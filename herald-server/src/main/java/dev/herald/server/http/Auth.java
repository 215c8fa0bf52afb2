package dev.herald.server.http;

import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.server.auth.Authenticator;
import dev.herald.server.auth.Principal;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.util.Optional;

/** Authenticates every API request (API §5); the caller travels on the context as a {@link Principal}. */
public final class Auth implements Handler<RoutingContext> {
    private static final String PRINCIPAL = "herald.principal";

    private final Authenticator authenticator;

    public Auth(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String token;
        try {
            token = token(ctx);
        } catch (HeraldException e) {
            ApiErrors.send(ctx.response(), e);
            return;
        }
        if (token == null) {
            ApiErrors.send(ctx.response(), new HeraldException(ErrorCode.UNAUTHORIZED,
                    "missing token: send 'Authorization: Bearer <token>'"));
            return;
        }
        Optional<Principal> principal = authenticator.authenticate(token);
        if (principal.isEmpty()) {
            ApiErrors.send(ctx.response(), new HeraldException(ErrorCode.UNAUTHORIZED,
                    "the token is not valid (unknown, revoked, expired or badly signed)"));
            return;
        }
        ctx.put(PRINCIPAL, principal.get());
        ctx.next();
    }

    private static String token(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (header != null) {
            return header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        }
        // tokens in URLs end up in logs: only streams, which browsers cannot give headers, may use one
        String path = ctx.request().path();
        return path.endsWith("/events") || path.endsWith("/ws") ? QueryParams.all(ctx).get("access_token") : null;
    }

    public static Principal caller(RoutingContext ctx) {
        return ctx.get(PRINCIPAL);
    }
}
