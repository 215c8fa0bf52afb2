package dev.herald.server.cluster;

import dev.herald.core.cluster.ClusterNode;
import dev.herald.core.cluster.LeaseRelay;
import dev.herald.core.engine.JobEngine;
import dev.herald.server.edge.Limits;
import dev.herald.server.metrics.HeraldMetrics;
import dev.herald.store.jdbc.JdbcDatabase;
import dev.herald.store.jdbc.PostgresCluster;
import io.vertx.core.Vertx;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * This server as one node of a cluster (docs/cluster.md §2.5): its cluster listener, its lease on the shared
 * PostgreSQL store, and the peers it forwards commands to. Joined before the engine starts, served once it has.
 */
public final class ClusterMembership {
    private final ClusterListener listener;
    private final PostgresCluster cluster;
    private final HttpPeers peers;
    private final ClusterNode node;
    private final String address;

    private ClusterMembership(ClusterListener listener, PostgresCluster cluster, HttpPeers peers, LeaseRelay relay,
                              String address) {
        this.listener = listener;
        this.cluster = cluster;
        this.peers = peers;
        this.address = address;
        this.node = new ClusterNode(cluster.lease(), cluster.ownership(), relay, cluster.dutyLocks(),
                cluster.placements(), peers);
    }

    /**
     * Opens the cluster listener, then joins the cluster with its address: other nodes may send commands from then
     * on, refused as not this node's until {@link #serve}.
     *
     * @throws IllegalStateException with a message for the user when the store is not PostgreSQL or the port is taken
     */
    public static ClusterMembership join(Vertx vertx, JdbcDatabase database, ClusterOptions options, Limits limits) {
        ClusterListener listener = new ClusterListener(vertx, limits);
        int port;
        try {
            port = listener.listen(options.host(), options.port()).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not listen for the cluster on " + options.host() + ":"
                    + options.port() + ": " + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while opening the cluster listener", e);
        }
        String address = (options.host().contains(":") ? "[" + options.host() + "]" : options.host()) + ":" + port;
        LeaseRelay relay = new LeaseRelay();
        PostgresCluster cluster;
        try {
            cluster = PostgresCluster.join(database, options.name(), address, System::nanoTime, relay);
        } catch (RuntimeException e) {
            listener.close();
            throw e;
        }
        String secret = options.secret() != null ? options.secret() : cluster.secret();
        listener.trust(secret);
        return new ClusterMembership(listener, cluster, new HttpPeers(vertx, secret), relay, address);
    }

    /** What the engine runs as a node with. */
    public ClusterNode node() {
        return node;
    }

    /** Where other nodes reach this one: the cluster listener's host and port. */
    public String address() {
        return address;
    }

    /** Takes the commands other nodes send from now on; counts what flows between nodes in {@code metrics}. */
    public void serve(JobEngine engine, HeraldMetrics metrics) {
        listener.serve(engine);
        metrics.forwarding(peers::sent, peers::moved, peers::failed, listener::received, listener::refused);
        peers.onForwarded(metrics.forwardTimer());
    }

    /** Stops taking commands from other nodes (before the engine writes what is pending). */
    public void stopServing() {
        listener.close();
        peers.close();
    }

    /** Ends the lease: other nodes take this node's trees over. After the engine has closed. */
    public void leave() {
        cluster.close();
    }
}
