package dev.herald.server.rest;

import dev.herald.core.cluster.ClusterStats;
import dev.herald.core.engine.JobEngine;
import dev.herald.core.port.EventBus;
import dev.herald.server.edge.Http;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

/** {@code /health/live} and {@code /health/ready}, for load balancers and orchestrators. */
public final class HealthRoutes {
    private final JobEngine engine;
    private final EventBus bus;
    private final Draining draining;

    public HealthRoutes(JobEngine engine, EventBus bus, Draining draining) {
        this.engine = engine;
        this.bus = bus;
        this.draining = draining;
    }

    public void live(RoutingContext ctx) {
        Http.json(ctx, 200, "{\"status\":\"up\"}");
    }

    /**
     * Ready while the store answers, the bus reaches the other nodes (API §8: writes still succeed without it, but
     * this node's readers miss theirs until it is back) and, on a node of a cluster, its lease on the store is
     * current (without it the node refuses every write); otherwise 503 with a hint when to ask again, and
     * {@code "status":"draining"} once the server has begun to stop. Answered on
     * the request's event loop, as every response must be (the server's strict thread mode refuses a write from
     * the store's thread).
     */
    public void ready(RoutingContext ctx) {
        Context context = Vertx.currentContext();
        engine.ping().whenComplete((v, e) -> Http.onContext(context, () -> {
            boolean store = e == null && engine.clusterStats().map(ClusterStats::leaseValid).orElse(true);
            boolean busUp = bus.connected();
            String parts = "\"store\":\"" + upOrDown(store) + "\",\"bus\":\"" + upOrDown(busUp) + "\"}";
            if (store && busUp && !draining.begun()) {
                Http.json(ctx, 200, "{\"status\":\"ready\"," + parts);
            } else {
                ctx.response().putHeader("Retry-After", "5");
                Http.json(ctx, 503, "{\"status\":\"" + (draining.begun() ? "draining" : "unavailable") + "\","
                        + parts);
            }
        }));
    }

    private static String upOrDown(boolean up) {
        return up ? "up" : "down";
    }
}
