package dev.herald.server.rest;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.herald.core.auth.ApiKey;
import dev.herald.core.auth.Scope;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.json.JsonText;
import dev.herald.json.Times;
import dev.herald.server.auth.ApiKeys;
import dev.herald.server.auth.Principal;
import dev.herald.server.edge.ApiErrors;
import dev.herald.server.edge.Auth;
import dev.herald.server.edge.BodyReader;
import dev.herald.server.edge.Http;
import dev.herald.server.edge.QueryParams;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.util.List;

/**
 * API keys, for an admin credential of all projects: create (the secret is in
 * that answer and nowhere else, ever), list, revoke. {@code herald keys} uses these.
 */
public final class KeyRoutes {
    private final ApiKeys keys;
    private final BodyReader bodies;
    private final Vertx vertx;

    public KeyRoutes(Vertx vertx, ApiKeys keys, BodyReader bodies) {
        this.vertx = vertx;
        this.keys = keys;
        this.bodies = bodies;
    }

    private static void requireAdmin(RoutingContext ctx) {
        Principal p = Auth.caller(ctx);
        if (!p.scope().allows(Scope.ADMIN) || !p.allProjects()) {
            throw new HeraldException(ErrorCode.UNAUTHORIZED, "managing keys needs an admin token of all projects");
        }
    }

    public void create(RoutingContext ctx) {
        requireAdmin(ctx);
        QueryParams.of(ctx);
        KeyBodies.NewKey key = bodies.read(ctx, KeyBodies.CREATE);
        // the store write blocks: off the event loop
        vertx.executeBlocking(() -> keys.create(key.name(), key.project(), key.scope(), key.expiresIn()))
                .onComplete(r -> {
                    if (r.failed()) {
                        ApiErrors.send(ctx, r.cause() instanceof IllegalArgumentException e
                                ? Http.invalid(null, e.getMessage()) : r.cause());
                        return;
                    }
                    Http.json(ctx, 201, JsonText.object(g -> {
                        g.writeFieldName("key");
                        write(g, r.result().key());
                        g.writeStringField("token", r.result().token());
                    }));
                });
    }

    public void list(RoutingContext ctx) {
        requireAdmin(ctx);
        QueryParams.of(ctx);
        vertx.executeBlocking(keys::list).onComplete(r -> {
            if (r.failed()) {
                ApiErrors.send(ctx, r.cause());
                return;
            }
            List<ApiKey> all = r.result();
            Http.json(ctx, 200, JsonText.object(g -> {
                g.writeArrayFieldStart("items");
                for (ApiKey k : all) {
                    write(g, k);
                }
                g.writeEndArray();
            }));
        });
    }

    public void revoke(RoutingContext ctx) {
        requireAdmin(ctx);
        QueryParams.of(ctx);
        bodies.read(ctx, JobBodies.EMPTY);
        String id = ctx.pathParam("id");
        vertx.executeBlocking(() -> keys.revoke(id)).onComplete(r -> {
            if (r.failed()) {
                ApiErrors.send(ctx, r.cause());
            } else if (!r.result()) {
                ApiErrors.send(ctx.response(), new HeraldException(ErrorCode.NOT_FOUND,
                        "no such active key: " + id));
            } else {
                Http.json(ctx, 200, "{\"revoked\":true}");
            }
        });
    }

    private static void write(JsonGenerator g, ApiKey k) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", k.id());
        g.writeStringField("name", k.name());
        g.writeStringField("project", k.project());
        g.writeStringField("scope", k.scope().wire());
        g.writeStringField("createdAt", Times.format(k.createdAt()));
        g.writeStringField("expiresAt", Times.format(k.expiresAt()));
        g.writeStringField("revokedAt", Times.format(k.revokedAt()));
        g.writeEndObject();
    }
}
