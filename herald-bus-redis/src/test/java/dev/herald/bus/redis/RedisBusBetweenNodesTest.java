package dev.herald.bus.redis;

import dev.herald.core.port.EventBus;
import dev.herald.testkit.EventBusContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract across Redis: every event published on one node reaches the other's
 * listeners whole (every kind, so the envelope's round trip is exact) and in order.
 */
class RedisBusBetweenNodesTest extends EventBusContract {
    @RegisterExtension
    static final TestRedis redis = new TestRedis();

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
