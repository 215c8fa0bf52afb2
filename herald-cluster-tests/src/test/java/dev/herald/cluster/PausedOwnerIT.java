package dev.herald.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The owner of a tree stopped (SIGSTOP) well past its 3 s lease, its tree taken over through another node, then
 * woken (SIGCONT): readers never see a version twice, and the woken node commits nothing of the tree it lost
 * (docs/cluster.md §2.6, §8.8).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PausedOwnerIT {
    @RegisterExtension
    static final Nodes NODES = Nodes.of(3);

    @Test
    void aWokenOwnerRepeatsNoVersionAndCommitsNothing() throws Exception {
        Node owner = NODES.get(0);
        String a = owner.base();
        String b = NODES.get(1).base();
        String c = NODES.get(2).base();
        String job = Api.create(a, "\"type\":\"paused\",\"status\":\"running\"");
        try (SseReader onC = SseReader.job(c, job, null)) {
            for (int i = 1; i <= 10; i++) {
                Api.progress(a, job, i);
            }
            // left in A's memory, to be written behind: A must not write it once it wakes
            Api.post(a, "/jobs/" + job + "/progress", "{\"current\":100,\"total\":1000,\"message\":\"before the pause\"}");
            owner.pause();

            // B's forwards to the frozen A fail (503) until PostgreSQL ends A's lease session; then B takes the tree
            await("a write through B once A's lease is gone").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> Api.send(b, "POST", "/jobs/" + job + "/progress",
                            "{\"current\":200,\"total\":1000,\"message\":\"after the takeover\"}").ok());
            Api.log(b, job, "after the takeover");
            long taken = Api.get(b, "/jobs/" + job).get("version").asLong();

            owner.resume();
            owner.awaitReady();
            JsonNode stored = Api.get(c, "/jobs/" + job);
            assertThat(stored.get("version").asLong()).as("the stored version, read on C").isGreaterThanOrEqualTo(taken);
            assertThat(stored.get("progress").get("current").asInt()).isEqualTo(200);

            Api.progress(a, job, 300);
            await("every node answers the same state").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                List<JsonNode> states = NODES.all().stream().map(n -> Api.get(n.base(), "/jobs/" + job)).toList();
                assertThat(states).extracting(s -> s.get("progress").get("current").asInt()).containsOnly(300);
                assertThat(states).extracting(s -> s.get("version").asLong()).containsOnly(states.get(0).get("version").asLong());
            });
            long last = Api.get(b, "/jobs/" + job).get("version").asLong();
            onC.awaitEvent(e -> e.version() == last);
            BetweenNodesIT.assertVersionsIncrease(onC.events());
            assertThat(Api.get(c, "/jobs/" + job + "/logs").get("items")).hasSize(1);
        }
    }
}
