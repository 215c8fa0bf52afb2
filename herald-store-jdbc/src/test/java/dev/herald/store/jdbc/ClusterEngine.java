package dev.herald.store.jdbc;

import dev.herald.core.cluster.ClusterNode;
import dev.herald.core.cluster.ClusterStats;
import dev.herald.core.cluster.LeaseRelay;
import dev.herald.core.cluster.Peers;
import dev.herald.core.engine.EngineOptions;
import dev.herald.core.engine.JobEngine;
import dev.herald.core.port.JobStore;
import dev.herald.core.port.LocalEventBus;
import dev.herald.core.time.SettableClock;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One node of a cluster in the test's JVM: its own pool on the shared schema, its lease (pinged by the test, on a
 * monotonic clock the test holds still, so the node trusts its lease until told otherwise) and an engine on them.
 * Without peers it forwards nothing: a command on another node's tree is refused (503).
 */
final class ClusterEngine implements AutoCloseable {
    final JdbcDatabase database;
    final PostgresCluster cluster;
    final JobEngine engine;
    final SettableClock clock = new SettableClock(Instant.parse("2026-12-07T12:00:00Z"));

    ClusterEngine(TestPostgres postgres, Duration cacheIdle) {
        this(postgres, cacheIdle, "10.0.0.1:9081", null);
    }

    /** A node at {@code address} that forwards commands on other nodes' trees to {@code peers}. */
    ClusterEngine(TestPostgres postgres, Duration cacheIdle, String address, Peers peers) {
        database = JdbcStores.openDatabase(postgres.location());
        LeaseRelay relay = new LeaseRelay();
        AtomicLong nanos = new AtomicLong();
        cluster = PostgresCluster.join(database, "test", address, nanos::get, relay, false);
        engine = JobEngine.start(database.jobs(), new LocalEventBus(), EngineOptions.defaults()
                        .withFlushInterval(Duration.ofMillis(20))
                        .withCacheIdle(cacheIdle)
                        .withRetentionSweep(Duration.ofMillis(50))
                        .withClock(clock),
                new ClusterNode(cluster.lease(), cluster.ownership(), relay, cluster.dutyLocks(),
                        peers == null ? null : cluster.placements(), peers));
    }

    String nodeId() {
        return cluster.lease().nodeId();
    }

    JobStore store() {
        return database.jobs();
    }

    ClusterStats stats() {
        return engine.clusterStats().orElseThrow();
    }

    /** One ping of the lease, as its thread would make it: a lost session is found, a lost lease taken again. */
    void ping() {
        cluster.postgresLease().renew();
    }

    @Override
    public void close() {
        engine.close();
        cluster.close();
        database.close();
    }
}
