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
import dev.herald.server.edge.Auth;
import dev.herald.server.edge.BodyReader;
import dev.herald.server.edge.Http;
import dev.herald.server.edge.QueryParams;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

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

    public void create(RoutingContext ctx) {
        Principal caller = Auth.caller(ctx);
        requireAdmin(caller);
        QueryParams.of(ctx);
        KeyBodies.NewKey key = bodies.read(ctx, KeyBodies.CREATE);
        Http.answer(ctx, create(caller, key), (c, created) -> Http.json(c, 201, JsonText.object(g -> {
            g.writeFieldName("key");
            write(g, created.key());
            g.writeStringField("token", created.token());
        })));
    }

    /** Creates the key read from a create's body, for an admin of all projects. */
    public CompletableFuture<ApiKeys.Created> create(Principal caller, KeyBodies.NewKey key) {
        requireAdmin(caller);
        return blocking(() -> {
            try {
                return keys.create(key.name(), key.project(), key.scope(), key.expiresIn());
            } catch (IllegalArgumentException e) {
                throw Http.invalid(null, e.getMessage());
            }
        });
    }

    public void list(RoutingContext ctx) {
        Principal caller = Auth.caller(ctx);
        requireAdmin(caller);
        QueryParams.of(ctx);
        Http.answer(ctx, list(caller), (c, all) -> Http.json(c, 200, JsonText.object(g -> {
            g.writeArrayFieldStart("items");
            for (ApiKey k : all) {
                write(g, k);
            }
            g.writeEndArray();
        })));
    }

    /** Every key, revoked and expired ones too, for an admin of all projects. */
    public CompletableFuture<List<ApiKey>> list(Principal caller) {
        requireAdmin(caller);
        return blocking(keys::list);
    }

    public void revoke(RoutingContext ctx) {
        Principal caller = Auth.caller(ctx);
        requireAdmin(caller);
        QueryParams.of(ctx);
        bodies.read(ctx, JobBodies.EMPTY);
        Http.answer(ctx, revoke(caller, ctx.pathParam("id")), (c, done) -> Http.json(c, 200, "{\"revoked\":true}"));
    }

    /** Revokes an active key, for an admin of all projects; {@code not_found} for any other id. */
    public CompletableFuture<Void> revoke(Principal caller, String id) {
        requireAdmin(caller);
        return blocking(() -> {
            if (!keys.revoke(id)) {
                throw new HeraldException(ErrorCode.NOT_FOUND, "no such active key: " + id);
            }
            return null;
        });
    }

    private static void requireAdmin(Principal p) {
        if (!p.scope().allows(Scope.ADMIN) || !p.allProjects()) {
            throw new HeraldException(ErrorCode.UNAUTHORIZED, "managing keys needs an admin token of all projects");
        }
    }

    /** The key store blocks: its calls run off the event loop. */
    private <T> CompletableFuture<T> blocking(Callable<T> call) {
        return vertx.executeBlocking(call).toCompletionStage().toCompletableFuture();
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
