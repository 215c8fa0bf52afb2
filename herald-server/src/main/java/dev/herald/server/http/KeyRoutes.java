package dev.herald.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.auth.ApiKey;
import dev.herald.core.auth.Scope;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.json.JsonText;
import dev.herald.json.Times;
import dev.herald.server.auth.ApiKeys;
import dev.herald.server.auth.Principal;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * API keys, for an admin credential of all projects: create (the secret is in
 * that answer and nowhere else, ever), list, revoke. {@code herald keys} uses these.
 */
public final class KeyRoutes {
    private final ApiKeys keys;
    private final JobRoutes bodies;
    private final Vertx vertx;
    /** Names, projects and the like are checked exactly as in job requests. */
    private final Requests names;

    public KeyRoutes(Vertx vertx, ApiKeys keys, JobRoutes bodies, Limits limits) {
        this.vertx = vertx;
        this.names = new Requests(limits);
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
        JsonNode body = bodies.body(ctx, false);
        allowOnly(body, Set.of("project", "scope", "name", "expiresInSeconds"));
        String project = text(body, "project", true);
        Scope scope = Scope.fromWire(text(body, "scope", true))
                .orElseThrow(() -> Http.invalid("scope", "scope must be read, write or admin"));
        String name = text(body, "name", false);
        JsonNode ttl = body.get("expiresInSeconds");
        if (ttl != null && !ttl.isNull() && (!ttl.canConvertToLong() || !ttl.isIntegralNumber() || ttl.asLong() < 1)) {
            throw Http.invalid("expiresInSeconds", "expiresInSeconds must be a whole number of at least 1");
        }
        Duration expiresIn = ttl == null || ttl.isNull() ? null : Duration.ofSeconds(ttl.asLong());
        // the store write blocks: off the event loop
        vertx.executeBlocking(() -> keys.create(name, project, scope, expiresIn)).onComplete(r -> {
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
        names.noFields(bodies.body(ctx, true));
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

    private static void allowOnly(JsonNode body, Set<String> fields) {
        if (!body.isObject()) {
            throw new HeraldException(ErrorCode.INVALID_JSON, "the body must be a JSON object");
        }
        Iterator<String> names = body.fieldNames();
        while (names.hasNext()) {
            String f = names.next();
            if (!fields.contains(f)) {
                throw Http.invalid(f, "unknown field '" + f + "'");
            }
        }
    }

    private String text(JsonNode body, String field, boolean required) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw Http.invalid(field, field + " is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw Http.invalid(field, field + " must be a string");
        }
        return names.name(v.textValue(), field);
    }
}
