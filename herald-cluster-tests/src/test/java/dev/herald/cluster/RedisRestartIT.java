package dev.herald.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The nodes' Redis stopped and started again: writes keep succeeding, every node is unready ({@code "bus":"down"})
 * meanwhile, and readers are current soon after Redis is back (docs/cluster.md §4.4, §8.4).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RedisRestartIT {
    @RegisterExtension
    static final Nodes NODES = Nodes.withPrivateRedis(2);

    @Test
    void writesSucceedWhileRedisIsDownAndReadersCatchUpWhenItReturns() throws Exception {
        String a = NODES.get(0).base();
        String b = NODES.get(1).base();
        String job = Api.create(a, "\"type\":\"redis-down\",\"status\":\"running\"");
        try (SseReader onB = SseReader.job(b, job, null)) {
            Api.progress(a, job, 10);
            onB.awaitEvent(e -> e.job().path("progress").path("current").asInt() == 10);

            NODES.redis().stop();
            for (Node node : NODES.all()) {
                await(node.name() + " unready").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    Node.Ready ready = node.ready();
                    assertThat(ready.status()).isEqualTo(503);
                    assertThat(ready.body()).contains("\"bus\":\"down\"");
                });
            }
            for (int i = 1; i <= 5; i++) {
                Api.log(i % 2 == 0 ? a : b, job, "while Redis is down " + i);
                Api.progress(i % 2 == 0 ? b : a, job, 100 * i);
            }
            Api.progress(a, job, 700);

            NODES.redis().start();
            NODES.all().forEach(Node::awaitReady);
            // §8.4: current within a second of Redis's return; a wide margin for two busy cores
            await("B's reader current").atMost(Duration.ofSeconds(5)).until(() ->
                    onB.events("log").size() == 5
                            && onB.events().get(onB.events().size() - 1).job().path("progress").path("current").asInt() == 700);
            BetweenNodesIT.assertVersionsIncrease(onB.events());
        }
        assertThat(Api.get(b, "/jobs/" + job + "/logs").get("items")).hasSize(5);
    }
}
