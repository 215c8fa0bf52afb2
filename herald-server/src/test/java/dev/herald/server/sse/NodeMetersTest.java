package dev.herald.server.sse;

import dev.herald.server.cluster.ClusterOptions;
import dev.herald.server.support.RedisCommands;
import dev.herald.server.support.SseClient;
import dev.herald.server.support.TestServer;
import dev.herald.server.support.TestSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.herald.server.sse.Jobs.logMessage;
import static dev.herald.server.sse.Jobs.until;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The meters of docs/cluster.md §7 that a node with a bus between nodes has, read from {@code /metrics} of two
 * nodes of a cluster on one PostgreSQL schema with Redis between them: they move as events, forwards and losses
 * on the bus happen. A server alone has none of them.
 */
class NodeMetersTest {
    private final TestSchema schema = new TestSchema("herald_meters_");
    private final String cluster = "node-meters-" + schema.suffix();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void dropSchema() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        schema.drop();
    }

    @Test
    void busAndForwardingMetersMoveOnTheNodesOfACluster() {
        TestServer a = node();
        TestServer b = node();
        assertThat(metric(b, "herald_bus_connected")).isEqualTo(1.0);
        String job = Jobs.create(a, "running");
        SseClient sse = open(SseClient.open(b, "/api/v1/jobs/" + job + "/events"));
        assertThat(Jobs.next(sse).event()).isEqualTo("snapshot");

        Jobs.log(a, job, "over the bus");
        until(sse, logMessage("over the bus"));
        assertThat(metric(b, "herald_bus_lag_seconds_count")).isPositive();
        // a retained event next in line is never held; only its presence is sure here
        assertThat(metric(b, "herald_bus_held_seconds_count")).isNotNegative();
        Jobs.progress(b, job, "{\"current\":1,\"total\":4}");
        assertThat(metric(b, "herald_cluster_forward_seconds_count{command=\"progress\"")).isEqualTo(1.0);
        // nobody on B reads this one: its progress from A is counted there, not read
        String unwatched = Jobs.create(a, "running");
        Jobs.progress(a, unwatched, "{\"current\":1,\"total\":4}");
        await().atMost(Jobs.WAIT).until(() -> metric(b, "herald_bus_unread_total") >= 1);

        assertThat(RedisCommands.killSubscribers(cluster)).isEqualTo(2);
        Jobs.log(a, job, "after the loss");
        until(sse, logMessage("after the loss"));
        await().atMost(Jobs.WAIT).until(() -> metric(b, "herald_bus_resyncs_total") >= 1);
        assertThat(metric(b, "herald_bus_missed_total")).isPositive();
        assertThat(metric(b, "herald_bus_caught_up_total")).isNotNegative();
        assertThat(metric(b, "herald_bus_behind")).isNotNegative();
        assertThat(metric(b, "herald_bus_publish_failed_total")).isZero();
        assertThat(metric(b, "herald_cluster_conflicts_total{kind=\"fenced\"")).isZero();
    }

    @Test
    void aServerAloneHasNoneOfThem() {
        TestServer alone = open(TestServer.start());
        String scraped = alone.get("/metrics").body();
        assertThat(scraped).contains("herald_progress_updates").doesNotContain("herald_bus")
                .doesNotContain("herald_cluster");
    }

    private TestServer node() {
        return open(TestServer.inCluster(new ClusterOptions(cluster, "127.0.0.1", 0, "the-node-meters-test-secret"),
                o -> o.withStore(schema.store())
                        .withBus("redis://127.0.0.1:6379")));
    }

    /** The sum of the scraped lines that start with {@code prefix} (a name, or a name and the start of its labels). */
    private static double metric(TestServer server, String prefix) {
        double sum = 0;
        boolean found = false;
        for (String line : server.get("/metrics").body().split("\n")) {
            if (line.startsWith(prefix + " ") || line.startsWith(prefix + "{") || line.startsWith(prefix + ",")
                    || (prefix.contains("{") && line.startsWith(prefix))) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        assertThat(found).as(prefix + " in /metrics").isTrue();
        return sum;
    }

    private <T extends AutoCloseable> T open(T closeable) {
        open.add(closeable);
        return closeable;
    }
}
