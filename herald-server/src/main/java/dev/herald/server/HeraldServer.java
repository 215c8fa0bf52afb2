package dev.herald.server;

import dev.herald.client.Herald;
import dev.herald.client.HeraldBuilder;
import dev.herald.client.transport.Transport;
import dev.herald.core.engine.EngineOptions;
import dev.herald.core.engine.JobEngine;
import dev.herald.core.port.EventBus;
import dev.herald.core.port.JobStore;
import dev.herald.server.auth.ApiKeys;
import dev.herald.server.auth.Authenticator;
import dev.herald.server.auth.JwtVerifier;
import dev.herald.server.cluster.ClusterMembership;
import dev.herald.server.cluster.ClusterOptions;
import dev.herald.server.edge.ApiRouter;
import dev.herald.server.edge.HeaderDeadline;
import dev.herald.server.edge.UnreadableRequests;
import dev.herald.server.metrics.HeraldMetrics;
import dev.herald.server.rest.Draining;
import dev.herald.server.stream.FanOut;
import dev.herald.server.stream.OpenStreams;
import dev.herald.store.jdbc.JdbcDatabase;
import dev.herald.store.jdbc.JdbcStores;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

/** A running Herald: store, engine, fan-out and the HTTP server, started and stopped together. */
public final class HeraldServer implements AutoCloseable {
    private final ServerOptions options;
    private final String adminToken;
    private final JdbcDatabase database;
    private final JobStore store;
    private final ApiKeys keys;
    private final long keyRefresh;
    private final EventBus bus;
    private final JobEngine engine;
    private final FanOut fanOut;
    private final Vertx vertx;
    private final ApiTable table;
    private final HeaderDeadline headerDeadline;
    private final Router router;
    /**
     * One server per core, each deployed in its own verticle instance so it gets its own event
     * loop (servers created outside a verticle all share one), all on the same port: Vert.x
     * spreads the connections over them.
     */
    private final List<HttpServer> http = new CopyOnWriteArrayList<>();
    private final String deployment;
    /** This server as a node of a cluster; null alone. */
    private final ClusterMembership cluster;
    private final Draining draining;

    private HeraldServer(ServerOptions options, ClusterOptions clusterOptions, String adminToken) {
        this.options = options;
        this.adminToken = adminToken;
        this.draining = new Draining(options.drain());
        HeraldMetrics metrics = new HeraldMetrics();
        this.database = JdbcStores.openDatabase(options.store() != null ? options.store()
                : options.dataDir().toString());
        this.store = database.jobs();
        this.keys = new ApiKeys(database.keys(), options.clock());
        JwtVerifier jwt = options.auth().jwt() == null ? null : JwtVerifier.create(options.auth().jwt());
        this.vertx = EventLoopTransport.start();
        this.bus = ServerBus.open(options, clusterOptions == null ? null : clusterOptions.name(), vertx, database);
        this.cluster = clusterOptions == null ? null
                : ClusterMembership.join(vertx, database, clusterOptions, options.limits());
        EngineOptions engineOptions = EngineOptions.defaults()
                .withFlushInterval(options.flushInterval())
                .withRetention(options.retention())
                .withStallAfter(options.stallAfter())
                .withClock(options.clock())
                .withFlushTimer(metrics::storeFlush)
                .withNodeMeters(metrics.node(bus));
        this.engine = cluster == null ? JobEngine.start(store, bus, engineOptions)
                : JobEngine.start(store, bus, engineOptions, cluster.node());
        if (cluster != null) {
            cluster.serve(engine, metrics);
        }
        metrics.cluster(engine::clusterStats);
        this.fanOut = new FanOut(engine);
        // other nodes' progress of jobs nobody here reads is dropped unread (docs/cluster.md §4.6)
        bus.watchedBy(fanOut::watches);
        metrics.gauge("herald.subscriptions", "job subscriptions held by open streams", fanOut::subscriptionCount);
        OpenStreams open = new OpenStreams(vertx, options.auth().maxStreamsPerCredential(), options.clock());
        keys.addRevocationListener(open::revoked);
        // revocations made by another process (herald keys revoke on a second node) are found within seconds
        this.keyRefresh = vertx.setPeriodic(2000, t -> vertx.executeBlocking(() -> {
            keys.refresh();
            return null;
        }));
        Authenticator authenticator = new Authenticator(adminToken, keys, jwt,
                jwt == null ? Duration.ZERO : options.auth().jwt().leeway(), options.clock());
        // a whole request head within the header timeout of connecting, or the connection is closed
        this.headerDeadline = new HeaderDeadline(vertx, options.headerTimeout().toMillis(),
                options.nextHeadTimeout().toMillis());
        this.table = new ApiTable(vertx, engine, bus, fanOut, open, metrics, keys, options, draining, headerDeadline);
        this.router = new ApiRouter(vertx, authenticator, metrics, headerDeadline, options.auth(), options.limits())
                .router(table.routes(), table.open());
        HttpServerOptions httpOptions = HttpListener.options(options);
        this.deployment = await(vertx.deployVerticle(() -> new VerticleBase() {
            @Override
            public Future<?> start() {
                HttpServer server = vertx.createHttpServer(httpOptions).requestHandler(router)
                        .invalidRequestHandler(UnreadableRequests::refuse)
                        .connectionHandler(connection -> {
                            UnreadableRequests.watch(connection);
                            headerDeadline.opened(connection);
                        });
                http.add(server);
                return server.listen();
            }
        }, new DeploymentOptions().setInstances(Runtime.getRuntime().availableProcessors()))
                .toCompletionStage().toCompletableFuture(), "listen on " + options.host() + ":" + options.port());
    }

    /** Starts a server; throws {@link IllegalStateException} with a message for the user when it cannot. */
    public static HeraldServer start(ServerOptions options) {
        return start(options, null);
    }

    /** Starts a server as a node of a cluster ({@code cluster} null: alone); the store must then be PostgreSQL. */
    public static HeraldServer start(ServerOptions options, ClusterOptions cluster) {
        if (cluster != null && options.store() == null) {
            throw new IllegalStateException("--cluster needs a PostgreSQL store shared by its nodes: pass "
                    + "--store postgresql://...");
        }
        return new HeraldServer(options, cluster, AdminCredential.choose(options));
    }

    public int port() {
        return http.get(0).actualPort();
    }

    /** Where the other nodes of its cluster reach this server (host:port), or null when it runs alone. */
    public String clusterAddress() {
        return cluster == null ? null : cluster.address();
    }

    /** Completes once the bus between nodes ({@code --bus}) has been connected; it may still be down at start. */
    public java.util.concurrent.CompletableFuture<Void> busConnected() {
        return ServerBus.connectedOnce(bus);
    }

    public String baseUrl() {
        String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
        return "http://" + host + ":" + port();
    }

    public String adminToken() {
        return adminToken;
    }

    public String dashboardUrl() {
        return baseUrl() + "/?token=" + adminToken;
    }

    public JobEngine engine() {
        return engine;
    }

    /**
     * A client of this server that calls its engine directly, with no HTTP and no sockets (SDK.md §2): the same
     * {@link Herald} as {@link Herald#remote}, with the same checks and error codes, as the operator. Closing the
     * client ends its reporters and watches, not the server.
     */
    public Herald client() {
        return client(b -> b);
    }

    /** {@link #client()} with settings of the builder's (e.g. {@code progressInterval}); its URL and token go unused. */
    public Herald client(UnaryOperator<HeraldBuilder> settings) {
        return settings.apply(Herald.builder()).transport(table.localTransport()).build();
    }

    /**
     * A new transport into this server's routes without HTTP, the one {@link #client()} runs on: for callers that
     * speak the API's raw calls, such as a worker's claims (API §9). Closing it ends its streams only.
     */
    public Transport transport() {
        return table.localTransport();
    }

    /** The HTTP routes as Vert.x serves them (the OpenAPI test checks the document against them). */
    public Router router() {
        return router;
    }

    /** {@code /health/ready} answers 503 {@code draining} from now on; every request is still served. */
    public void beginDraining() {
        draining.begin();
    }

    /**
     * Drains ({@code --drain}: ready answers draining while requests are served), stops taking requests, writes what
     * is pending, releases the store and, in a cluster, this node's trees.
     */
    @Override
    public void close() {
        draining.drain();
        try {
            // undeploying closes the servers: no new requests while the engine writes what is pending
            await(vertx.undeploy(deployment).toCompletionStage().toCompletableFuture(), "stop the HTTP servers");
        } finally {
            vertx.cancelTimer(keyRefresh);
            headerDeadline.close();
            table.close();
            fanOut.close();
            if (cluster != null) {
                cluster.stopServing();
            }
            engine.close();
            if (cluster != null) {
                cluster.leave();
            }
            bus.close();
            database.close();
            await(vertx.close().toCompletionStage().toCompletableFuture(), "stop Vert.x");
        }
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> f, String what) {
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("could not " + what + " within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while trying to " + what, e);
        }
    }
}
