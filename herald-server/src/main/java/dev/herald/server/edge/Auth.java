package dev.herald.server.edge;

import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.server.auth.Authenticator;
import dev.herald.server.auth.Principal;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.Optional;

/** Authenticates every API request (API §5); the caller travels on the context as a {@link Principal}. */
public final class Auth implements Handler<RoutingContext> {
    private static final String PRINCIPAL = "herald.principal";

    private final Authenticator authenticator;
    private final List<ApiRoute> routes;

    /** {@code routes}: the table, which says which routes are streams and so take {@code ?access_token=}. */
    public Auth(Authenticator authenticator, List<ApiRoute> routes) {
        this.authenticator = authenticator;
        this.routes = List.copyOf(routes);
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

    private String token(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (header != null) {
            return header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        }
        // tokens in URLs end up in logs: only streams, which browsers cannot give headers, may use one
        String path = ctx.request().path();
        boolean stream = routes.stream().anyMatch(r -> r.stream() && r.matches(path));
        return stream ? QueryParams.all(ctx).get(ApiRoute.ACCESS_TOKEN) : null;
    }

    public static Principal caller(RoutingContext ctx) {
        return ctx.get(PRINCIPAL);
    }
}
