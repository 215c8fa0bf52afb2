package dev.herald.server.http;

import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Checks the bearer token of every API request. For now there is one admin key
 * (all projects); the caller's identity travels on the context for later checks.
 */
public final class Auth implements Handler<RoutingContext> {
    /** Context key of the caller's {@link Caller}. */
    public static final String CALLER = "herald.caller";

    /** Who is calling: the owner recorded on jobs it creates. */
    public record Caller(String subject) {
    }

    private final byte[] adminToken;

    public Auth(String adminToken) {
        this.adminToken = adminToken.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void handle(RoutingContext ctx) {
        String token = token(ctx);
        if (token == null) {
            ApiErrors.send(ctx.response(), new HeraldException(ErrorCode.UNAUTHORIZED,
                    "missing token: send 'Authorization: Bearer <token>'"));
            return;
        }
        // constant time, so the key cannot be guessed byte by byte from response times
        if (!MessageDigest.isEqual(adminToken, token.getBytes(StandardCharsets.UTF_8))) {
            ApiErrors.send(ctx.response(), new HeraldException(ErrorCode.UNAUTHORIZED, "the token is not valid"));
            return;
        }
        ctx.put(CALLER, new Caller("admin"));
        ctx.next();
    }

    private static String token(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (header != null) {
            return header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        }
        // tokens in URLs end up in logs: only streams, which browsers cannot give headers, may use one
        String path = ctx.request().path();
        return path.endsWith("/events") || path.endsWith("/ws") ? ctx.request().getParam("access_token") : null;
    }

    public static Caller caller(RoutingContext ctx) {
        return ctx.get(CALLER);
    }
}
