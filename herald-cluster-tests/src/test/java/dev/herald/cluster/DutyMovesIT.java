package dev.herald.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A single-node duty moves when its node dies (docs/cluster.md §6, issue 10's tests): the holder of tree adoption,
 * as {@code herald_cluster_duties} on {@code /metrics} tells, is killed with SIGKILL while it owns a tree with a
 * running job; another node takes the duty and adopts the tree though nobody touches it: the job is stored above
 * the version gap (a takeover's, §2.6) and the tree is let go.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DutyMovesIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** VersionRecovery's gap, which a takeover adds to the versions of the jobs it took. */
    private static final long GAP = 1_000_000;

    @RegisterExtension
    static final Nodes NODES = Nodes.of(2);

    @Test
    void adoptionMovesWhenItsHolderIsKilledAndAdoptsTheDeadHoldersTree() throws Exception {
        await("a node holding adoption").atMost(Duration.ofSeconds(30))
                .until(() -> holds(NODES.get(0), "adoption") || holds(NODES.get(1), "adoption"));
        Node holder = holds(NODES.get(0), "adoption") ? NODES.get(0) : NODES.get(1);
        Node other = holder == NODES.get(0) ? NODES.get(1) : NODES.get(0);
        // created on the holder: its tree is the holder's
        String job = Api.create(holder.base(), "\"type\":\"orphan\",\"status\":\"running\"");
        Api.progress(holder.base(), job, 100);
        assertThat(NODES.database().number("SELECT count(*) FROM tree_owners WHERE root_id = '" + job + "'"))
                .isEqualTo(1);

        holder.kill();

        await(other.name() + " holding adoption").atMost(Duration.ofSeconds(60)).until(() -> holds(other, "adoption"));
        await("the dead holder's tree adopted and let go").atMost(Duration.ofSeconds(60)).until(() ->
                NODES.database().number("SELECT count(*) FROM tree_owners WHERE root_id = '" + job + "'") == 0
                        && NODES.database().number("SELECT version FROM jobs WHERE id = '" + job + "'") > GAP);
        assertThat(Api.get(other.base(), "/jobs/" + job).get("status").asText()).isEqualTo("running");
    }

    /** Whether the node's {@code /metrics} says it holds the duty. */
    private static boolean holds(Node node, String duty) throws Exception {
        HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(URI.create(node.base() + "/metrics"))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return metrics.body().lines().anyMatch(line -> line.startsWith("herald_cluster_duties{")
                && line.contains("duty=\"" + duty + "\"") && line.endsWith(" 1.0"));
    }
}
