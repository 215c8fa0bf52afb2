package dev.herald.server.metrics;

import dev.herald.bus.redis.RedisEventBus;
import dev.herald.core.cluster.NodeMeters;
import dev.herald.core.port.WriteConflict;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The meters of a node whose bus runs between nodes (docs/cluster.md §7): {@code herald.bus.*}, from its
 * {@link RedisEventBus} and its engine's event order, and {@code herald.cluster.conflicts} by kind. Registered only
 * for such a node: alone, a server has none of them.
 */
final class BusMeters implements NodeMeters {
    private final Timer held;
    private final AtomicLong behind = new AtomicLong();
    private final Map<String, Counter> caughtUp;
    private final Counter resyncs;
    private final Map<String, Counter> conflicts;

    BusMeters(MeterRegistry registry, RedisEventBus bus) {
        Timer lag = Timer.builder("herald.bus.lag").publishPercentiles(0.5, 0.99)
                .description("an event of another node: its arrival here minus its publishing (wall clocks)")
                .register(registry);
        bus.onLag(millis -> lag.record(Math.max(0, millis), TimeUnit.MILLISECONDS));
        held = Timer.builder("herald.bus.held").publishPercentiles(0.5, 0.99)
                .description("time an event waited in this node's order for the events it comes after")
                .register(registry);
        Gauge.builder("herald.bus.behind", behind, AtomicLong::get)
                .description("the store's head minus the position this node has dispatched, as last read")
                .register(registry);
        caughtUp = counters(registry, "herald.bus.caught_up", "reason",
                "retained events read from the store because the bus had not brought them", "gap", "poll", "reconnect");
        resyncs = Counter.builder("herald.bus.resyncs")
                .description("times this node's readers were sent the newest states after a loss on the bus")
                .register(registry);
        // the meter holds its object weakly: the registry, which lives as long as the server, not the bus
        FunctionCounter.builder("herald.bus.missed", registry, r -> bus.stats().gaps() + bus.stats().reconnects())
                .description("times the bus may have lost events: a hole in a node's sequence, or Redis reconnected")
                .register(registry);
        FunctionCounter.builder("herald.bus.unread", registry, r -> bus.stats().unread())
                .description("other nodes' progress, children and deletion events dropped unread: no reader here "
                        + "watches their jobs").register(registry);
        FunctionCounter.builder("herald.bus.publish.failed", registry, r -> bus.stats().publishFailures())
                .description("events this node could not hand to Redis").register(registry);
        Gauge.builder("herald.bus.connected", registry, r -> bus.connected() ? 1 : 0)
                .description("1 while both connections to Redis are up").register(registry);
        conflicts = counters(registry, "herald.cluster.conflicts", "kind",
                "batches the store refused, by what it named", "stale", "key", "fenced");
    }

    private static Map<String, Counter> counters(MeterRegistry registry, String name, String tag, String description,
                                                 String... values) {
        Map<String, Counter> counters = new HashMap<>();
        for (String value : values) {
            counters.put(value, Counter.builder(name).tag(tag, value).description(description).register(registry));
        }
        return Map.copyOf(counters);
    }

    @Override
    public void held(long nanos) {
        held.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void caughtUp(String reason, int events) {
        caughtUp.get(reason).increment(events);
    }

    @Override
    public void behind(long positions) {
        behind.set(Math.max(0, positions));
    }

    @Override
    public void resynced() {
        resyncs.increment();
    }

    @Override
    public void conflict(WriteConflict conflict) {
        if (!conflict.staleJobs().isEmpty()) {
            conflicts.get("stale").increment();
        }
        if (!conflict.takenKeys().isEmpty()) {
            conflicts.get("key").increment();
        }
        if (!conflict.fencedTrees().isEmpty()) {
            conflicts.get("fenced").increment();
        }
    }
}
