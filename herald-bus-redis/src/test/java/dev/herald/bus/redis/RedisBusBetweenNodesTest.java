package dev.herald.bus.redis;

import dev.herald.core.port.EventBus;
import dev.herald.testkit.EventBusContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract across Redis: every event published on one node reaches the other's
 * listeners whole (every kind, so the envelope's round trip is exact) and in order.
 */
class RedisBusBetweenNodesTest extends EventBusContract {
    private static TestRedis redis;

    @BeforeAll
    static void reachRedis() {
        redis = TestRedis.reachable();
    }

    @AfterAll
    static void closeRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Override
    protected EventBus newBus() {
        String cluster = TestRedis.newCluster();
        return new TwoNodes(redis.node(cluster), redis.node(cluster));
    }

    @Override
    protected boolean loseEvents() {
        redis.kill(((TwoNodes) bus).listening(), "sub");
        return true;
    }
}
