package dev.herald.bus.redis;

import dev.herald.core.port.EventBus;
import dev.herald.testkit.EventBusContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract on one node: its own events, which never wait for Redis. */
class RedisEventBusTest extends EventBusContract {
    @RegisterExtension
    static final TestRedis redis = new TestRedis();

    @Override
    protected EventBus newBus() {
        return redis.node(TestRedis.newCluster());
    }

    /** Its own events never pass through Redis, but a lost subscription still means others' may have been lost. */
    @Override
    protected boolean loseEvents() {
        redis.kill((RedisEventBus) bus, "sub");
        return true;
    }
}
