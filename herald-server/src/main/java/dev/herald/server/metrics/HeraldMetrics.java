package dev.herald.server.metrics;

import dev.herald.bus.redis.RedisEventBus;
import dev.herald.core.cluster.ClusterStats;
import dev.herald.core.cluster.Duties;
import dev.herald.core.cluster.NodeMeters;
import dev.herald.core.port.EventBus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.ObjLongConsumer;
import java.util.function.Supplier;

/** What the server counts, exposed at {@code /metrics} in the Prometheus text format. */
public final class HeraldMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ConcurrentHashMap<RequestKey, Counter> requests = new ConcurrentHashMap<>();
    private final Counter updates;
    private final Counter sseEvents;
    private final Counter wsEvents;
    private final Counter aborted;
    private final Timer flush;
    private final AtomicInteger sseStreams = new AtomicInteger();
    private final AtomicInteger wsStreams = new AtomicInteger();
    private final AtomicInteger longPolls = new AtomicInteger();

    public HeraldMetrics() {
        updates = Counter.builder("herald.progress.updates").description("progress updates accepted")
                .register(registry);
        sseEvents = Counter.builder("herald.events.delivered").tag("transport", "sse")
                .description("events written to readers").register(registry);
        wsEvents = Counter.builder("herald.events.delivered").tag("transport", "websocket")
                .description("events written to readers").register(registry);
        Gauge.builder("herald.streams.open", wsStreams, AtomicInteger::get).tag("transport", "websocket")
                .description("open event streams").register(registry);
        aborted = Counter.builder("herald.http.aborted")
                .description("requests whose client closed the connection before the request was read")
                .register(registry);
        flush = Timer.builder("herald.store.flush").description("time of one store write (group commit)")
                .publishPercentiles(0.5, 0.99).register(registry);
        Gauge.builder("herald.streams.open", sseStreams, AtomicInteger::get).tag("transport", "sse")
                .description("open event streams").register(registry);
        Gauge.builder("herald.longpolls.waiting", longPolls, AtomicInteger::get)
                .description("long polls waiting for a change").register(registry);
    }

    public void request(String method, String route, int status) {
        RequestKey key = new RequestKey(method, route, status);
        Counter counter = requests.get(key);
        if (counter == null) {
            counter = requests.computeIfAbsent(key, k -> Counter.builder("herald.http.requests")
                .tag("method", method).tag("route", route).tag("status", Integer.toString(status))
                .description("HTTP requests answered").register(registry));
        }
        counter.increment();
    }

    /** A counter's labels; a record, so counting a request builds no string. */
    private record RequestKey(String method, String route, int status) {
    }

    public void aborted() {
        aborted.increment();
    }

    public void progressUpdates(int n) {
        updates.increment(n);
    }

    public void sseEventDelivered() {
        sseEvents.increment();
    }

    public void wsEventDelivered() {
        wsEvents.increment();
    }

    public AtomicInteger wsStreams() {
        return wsStreams;
    }

    public void storeFlush(long nanos) {
        flush.record(nanos, TimeUnit.NANOSECONDS);
    }

    public AtomicInteger sseStreams() {
        return sseStreams;
    }

    public AtomicInteger longPolls() {
        return longPolls;
    }

    /** Registers a gauge read from elsewhere, such as the fan-out's subscription count. */
    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    /**
     * The ownership meters of a node of a cluster (docs/cluster.md §7), read from the engine when scraped:
     * {@code herald.cluster.trees}, {@code herald.cluster.takeovers} by kind, {@code herald.cluster.fenced}, and
     * {@code herald.cluster.duties} by duty (1 while this node holds its lock). An engine alone on its store has none.
     */
    public void cluster(Supplier<Optional<ClusterStats>> stats) {
        if (stats.get().isEmpty()) {
            return;
        }
        Supplier<ClusterStats> now = () -> stats.get().orElseThrow();
        Gauge.builder("herald.cluster.trees", () -> now.get().trees())
                .description("job trees this node owns and holds in memory").register(registry);
        String claimed = "trees claimed: clean when nobody held them, unclean when taken from a node that was gone";
        // the meter holds its object weakly: this registry, which lives as long as the server, not the supplier
        FunctionCounter.builder("herald.cluster.takeovers", this, m -> now.get().cleanTakeovers())
                .tag("kind", "clean").description(claimed).register(registry);
        FunctionCounter.builder("herald.cluster.takeovers", this, m -> now.get().uncleanTakeovers())
                .tag("kind", "unclean").description(claimed).register(registry);
        FunctionCounter.builder("herald.cluster.fenced", this, m -> now.get().fenced())
                .description("trees dropped because another node owns them now").register(registry);
        for (String duty : Duties.NAMES) {
            Gauge.builder("herald.cluster.duties", () -> now.get().duties().contains(duty) ? 1 : 0).tag("duty", duty)
                    .description("1 while this node holds the duty's lock and does it for the cluster")
                    .register(registry);
        }
    }

    /**
     * The forwarding meters of a node of a cluster (docs/cluster.md §7): {@code herald.cluster.forwarded} by
     * direction, {@code herald.cluster.moved}, {@code herald.cluster.forward.failed} and
     * {@code herald.cluster.peer.refused} (requests to the cluster listener without the cluster's secret).
     */
    public void forwarding(LongSupplier sent, LongSupplier moved, LongSupplier failed, LongSupplier received,
                           LongSupplier refused) {
        String forwarded = "commands sent to the node that owns their job's tree (out), or received from another (in)";
        FunctionCounter.builder("herald.cluster.forwarded", this, m -> sent.getAsLong()).tag("direction", "out")
                .description(forwarded).register(registry);
        FunctionCounter.builder("herald.cluster.forwarded", this, m -> received.getAsLong()).tag("direction", "in")
                .description(forwarded).register(registry);
        FunctionCounter.builder("herald.cluster.moved", this, m -> moved.getAsLong())
                .description("forwarded commands refused by a node that no longer owned the tree, routed again")
                .register(registry);
        FunctionCounter.builder("herald.cluster.forward.failed", this, m -> failed.getAsLong())
                .description("forwarded commands that could not be sent, or got no answer").register(registry);
        FunctionCounter.builder("herald.cluster.peer.refused", this, m -> refused.getAsLong())
                .description("requests to the cluster listener without the cluster's secret").register(registry);
    }

    /**
     * The timer of forwarded commands, {@code herald.cluster.forward} by command (its count is the commands sent, by
     * command), for a node of a cluster: told each command's name and its time from sending to the owner's answer.
     */
    public ObjLongConsumer<String> forwardTimer() {
        ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();
        return (command, nanos) -> timers.computeIfAbsent(command, c -> Timer.builder("herald.cluster.forward")
                .tag("command", c).publishPercentiles(0.5, 0.99)
                .description("commands forwarded to the node that owns their job's tree, until answered")
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * The meters of a node whose bus runs between nodes ({@code herald.bus.*}, {@code herald.cluster.conflicts}),
     * for its engine to tell; {@link NodeMeters#NONE}, registering nothing, on a bus in this process.
     */
    public NodeMeters node(EventBus bus) {
        return bus instanceof RedisEventBus redis ? new BusMeters(registry, redis) : NodeMeters.NONE;
    }

    public String scrape() {
        return registry.scrape();
    }
}
