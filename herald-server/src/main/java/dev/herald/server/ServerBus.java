package dev.herald.server;

import dev.herald.bus.redis.RedisBusOptions;
import dev.herald.bus.redis.RedisEventBus;
import dev.herald.core.port.EventBus;
import dev.herald.core.port.LocalEventBus;
import dev.herald.store.jdbc.JdbcDatabase;
import io.vertx.core.Vertx;

import java.util.concurrent.CompletableFuture;

/** The event bus a server publishes on: in this process, or Redis between the nodes of a cluster. */
final class ServerBus {
    private ServerBus() {
    }

    /** Completes once the bus has been connected: at once for a bus in this process. */
    static CompletableFuture<Void> connectedOnce(EventBus bus) {
        return bus instanceof RedisEventBus redis ? redis.connectedOnce() : CompletableFuture.completedFuture(null);
    }

    /**
     * The bus of {@code --bus}, or one in this process. Nodes share positions through their PostgreSQL store, so a
     * bus between nodes needs one. Its channel is named by the address's path, else by {@code --cluster}
     * ({@code cluster} null: none given). Closes what was opened when it fails.
     */
    static EventBus open(ServerOptions options, String cluster, Vertx vertx, JdbcDatabase database) {
        if (options.bus() == null) {
            return new LocalEventBus();
        }
        try {
            if (options.store() == null) {
                throw new IllegalStateException("--bus needs --store: the nodes of a cluster share one PostgreSQL "
                        + "database (docs/cluster.md)");
            }
            // a Redis down or slow leaves the node unready, not stopped (docs/cluster.md §7); herald serve bounds it
            return RedisEventBus.startConnecting(vertx, RedisBusOptions.fromAddress(options.bus(),
                    cluster != null ? cluster : RedisBusOptions.DEFAULT_NAME));
        } catch (IllegalArgumentException | IllegalStateException e) {
            vertx.close();
            database.close();
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
