package dev.herald.server.metrics;

import dev.herald.core.cluster.ClusterNode;
import dev.herald.core.cluster.LeaseRelay;
import dev.herald.core.command.NewJob;
import dev.herald.core.engine.EngineOptions;
import dev.herald.core.engine.JobEngine;
import dev.herald.core.port.LocalEventBus;
import dev.herald.store.jdbc.JdbcDatabase;
import dev.herald.store.jdbc.JdbcStores;
import dev.herald.store.jdbc.PostgresCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The ownership meters of docs/cluster.md §7, read from a real node of a cluster on the machine's PostgreSQL
 * (a schema of the test's own, dropped after); an engine alone has none.
 */
class ClusterMetersTest {
    private final String schema = "herald_meters_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    @AfterEach
    void dropSchema() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", null);
             Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Test
    void aNodeOfAClusterCountsItsTreesTakeoversAndFences() throws Exception {
        HeraldMetrics metrics = new HeraldMetrics();
        LeaseRelay relay = new LeaseRelay();
        try (JdbcDatabase database = JdbcStores.openDatabase("postgresql://postgres@127.0.0.1:5432/test?schema="
                + schema);
             PostgresCluster cluster = PostgresCluster.join(database, "meters", "127.0.0.1:9081", System::nanoTime,
                     relay);
             JobEngine engine = JobEngine.start(database.jobs(), new LocalEventBus(), EngineOptions.defaults(),
                     new ClusterNode(cluster.lease(), cluster.ownership(), relay, cluster.dutyLocks()))) {
            metrics.cluster(engine::clusterStats);
            engine.create(NewJob.of("import", "acme")).get(10, TimeUnit.SECONDS);
            engine.create(NewJob.of("import", "acme")).get(10, TimeUnit.SECONDS);

            assertThat(metrics.scrape())
                    .contains("herald_cluster_trees 2.0")
                    .contains("herald_cluster_takeovers_total{kind=\"clean\"} 0.0")
                    .contains("herald_cluster_takeovers_total{kind=\"unclean\"} 0.0")
                    .contains("herald_cluster_fenced_total 0.0");
            // alone in its cluster, the node takes every duty's lock at its first try
            await().atMost(Duration.ofSeconds(20)).until(() -> metrics.scrape()
                    .contains("herald_cluster_duties{duty=\"lease-expiry\"} 1.0"));
            assertThat(metrics.scrape())
                    .contains("herald_cluster_duties{duty=\"retention\"} 1.0")
                    .contains("herald_cluster_duties{duty=\"adoption\"} 1.0");
        }
    }

    @Test
    void anEngineAloneHasNoClusterMeters() {
        HeraldMetrics metrics = new HeraldMetrics();
        try (JobEngine engine = JobEngine.start(new dev.herald.core.port.InMemoryJobStore(), new LocalEventBus(),
                EngineOptions.defaults())) {
            metrics.cluster(engine::clusterStats);
            assertThat(metrics.scrape()).doesNotContain("herald_cluster");
        }
    }
}
