package dev.herald.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node started while Redis is down does not exit (docs/cluster.md §7): it serves, unready with {@code "bus":"down"},
 * takes writes, and keeps trying; once Redis is up it is ready and its readers hear the other nodes' events.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RedisLateIT {
    @RegisterExtension
    static final Nodes NODES = Nodes.withPrivateRedis(2);

    @Test
    void aNodeStartedWhileRedisIsDownServesUnreadyAndJoinsOnceRedisIsUp() throws Exception {
        Node late = NODES.get(1);
        String a = NODES.get(0).base();
        late.kill();
        NODES.redis().stop();
        late.start();

        await(late.name() + " serving, not ready").atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(late.alive()).as("%s is running:%n%s", late.name(), late.output()).isTrue();
            Node.Ready ready = late.ready();
            assertThat(ready.status()).as(ready.body()).isEqualTo(503);
            assertThat(ready.body()).contains("\"bus\":\"down\"", "\"store\":\"up\"");
        });
        Api.create(late.base(), "\"type\":\"while-redis-is-down\"");

        NODES.redis().start();
        NODES.all().forEach(Node::awaitReady);
        String job = Api.create(a, "\"type\":\"after\",\"status\":\"running\"");
        try (SseReader onLate = SseReader.job(late.base(), job, null)) {
            Api.progress(a, job, 300);
            onLate.awaitEvent(e -> e.job().path("progress").path("current").asInt() == 300);
        }
    }
}
