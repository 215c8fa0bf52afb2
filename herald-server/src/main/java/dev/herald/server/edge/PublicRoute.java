package dev.herald.server.edge;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** A GET served without a token: health, metrics, the OpenAPI document. */
public record PublicRoute(String path, Handler<RoutingContext> handler) {
}
