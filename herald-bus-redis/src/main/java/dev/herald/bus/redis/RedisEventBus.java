package dev.herald.bus.redis;

import dev.herald.core.event.JobEvent;
import dev.herald.core.port.EventBus;
import dev.herald.core.port.Subscriptions;
import dev.herald.core.port.Watched;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.ResponseType;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * The bus between the nodes of a cluster, over Redis pub/sub (docs/cluster.md §4).
 * A node's own events reach its listeners at once, on the publisher's thread, as on
 * {@code LocalEventBus}: local readers never depend on Redis. Every event also goes
 * to the channel {@code NAME:events} on one connection; another connection listens
 * there and delivers the other nodes' events on the bus's context, each node's in
 * the order it published them. Pub/sub loses messages when a connection drops or
 * Redis restarts, so after a reconnect, or a hole in another node's sequence, each
 * subscription's {@code onMissed} runs before the next delivery.
 */
public final class RedisEventBus implements EventBus {
    private static final System.Logger LOG = System.getLogger(RedisEventBus.class.getName());
    private static final long START_TIMEOUT_MS = RedisLink.ANSWER_TIMEOUT.toMillis() * 2;
    /** The client fails a command beyond this many awaiting an answer: the publisher stays below it. */
    private static final int MAX_WAITING = BusPublisher.MAX_IN_FLIGHT * 2;

    private final RedisBusOptions options;
    private final Context context;
    private final Subscriptions subscriptions = new Subscriptions();
    private final LongAdder reconnects = new LongAdder();
    private final BusReceiver receiver;
    private final RedisLink publishing;
    private final RedisLink subscribed;
    private final BusPublisher publisher;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Void> connectedOnce = new CompletableFuture<>();

    private RedisEventBus(Vertx vertx, RedisBusOptions options) {
        this.options = options;
        this.context = vertx.getOrCreateContext();
        RedisOptions redis = new RedisOptions().setConnectionString(options.redisUri())
                .setMaxWaitingHandlers(MAX_WAITING).setMaxPoolSize(1).setPoolRecycleTimeout(-1);
        redis.getNetClientOptions().setConnectTimeout((int) RedisLink.ANSWER_TIMEOUT.toMillis());
        Supplier<Redis> clients = () -> Redis.createClient(vertx, redis);
        this.receiver = new BusReceiver(options.nodeId(), subscriptions);
        this.publishing = new RedisLink("publishing", context, clients, c -> name(c, "pub"), () -> {
        }, reconnects);
        this.subscribed = new RedisLink("subscribing", context, clients, this::subscribe, receiver::resubscribed,
                reconnects);
        this.publisher = new BusPublisher(options.nodeId(), options.channel(), context, publishing);
    }

    /**
     * Connects and subscribes, and returns once both connections are up: from then on
     * this node hears every event another node publishes while Redis is reachable.
     * Blocks, so call it off the event loops.
     *
     * @throws IllegalStateException when Redis cannot be reached
     */
    public static RedisEventBus start(Vertx vertx, RedisBusOptions options) {
        RedisEventBus bus = new RedisEventBus(vertx, options);
        try {
            bus.onContext(() -> Future.all(bus.publishing.open(), bus.subscribed.open()).mapEmpty());
            bus.connectedOnce.complete(null);
            return bus;
        } catch (RuntimeException e) {
            bus.close();
            throw new IllegalStateException("Redis at " + options.redisUri() + " could not be reached: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Like {@link #start}, but a Redis that is down or slow does not fail it: after the same wait it returns with
     * the connections still being made, again and again, as after a loss (docs/cluster.md §7, §8.4). Until they are
     * up {@link #connected()} is false, so the node is not ready, and its writes still work; {@link #connectedOnce}
     * tells when they are. Blocks, so call it off the event loops.
     */
    public static RedisEventBus startConnecting(Vertx vertx, RedisBusOptions options) {
        RedisEventBus bus = new RedisEventBus(vertx, options);
        try {
            bus.onContext(() -> Future.all(bus.publishing.openEventually(), bus.subscribed.openEventually())
                    .onSuccess(up -> bus.connectedOnce.complete(null)).mapEmpty());
        } catch (IllegalStateException e) {
            LOG.log(System.Logger.Level.WARNING, "Redis at " + options.redisUri() + " could not be reached yet ("
                    + e.getMessage() + "): this node starts unready (bus down) and keeps trying");
        }
        return bus;
    }

    /** Completes once both connections have been up (at once for a bus {@link #start}ed). */
    public CompletableFuture<Void> connectedOnce() {
        return connectedOnce;
    }

    public RedisBusOptions options() {
        return options;
    }

    @Override
    public void publish(JobEvent event) {
        if (closed.get()) {
            return;
        }
        // encoded once, here, for the channel and for this node's readers alike (docs/cluster.md §4.1)
        JobEvent encoded = event.json() != null ? event : event.withJson(BusEnvelope.eventJson(event));
        subscriptions.deliver(encoded);
        publisher.publish(encoded);
    }

    @Override
    public AutoCloseable subscribe(Consumer<JobEvent> listener, Runnable onMissed) {
        AutoCloseable subscription = subscriptions.add(listener, onMissed);
        if (closed.get()) {
            // close() may have passed it by
            subscriptions.closeAll();
        }
        return subscription;
    }

    @Override
    public boolean betweenNodes() {
        return true;
    }

    @Override
    public void watchedBy(Watched watched) {
        receiver.watchedBy(watched);
    }

    /** Whether both connections are up now: what {@code /health/ready} reports as the bus (cluster.md §7). */
    @Override
    public boolean connected() {
        return publishing.current() != null && subscribed.current() != null;
    }

    public BusStats stats() {
        return new BusStats(publisher.published(), publisher.failed(), receiver.received(), receiver.unread(),
                receiver.dropped(), receiver.gaps(), reconnects.sum());
    }

    /**
     * Tells {@code meter} the age of every event another node published, in milliseconds from its publishing (the
     * envelope's {@code ts}) to its arrival here, as the two nodes' wall clocks say ({@code herald.bus.lag}).
     */
    public void onLag(LongConsumer meter) {
        receiver.onLag(meter);
    }

    /** Ends every subscription and both connections; waits for them to close unless called on an event loop. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        subscriptions.closeAll();
        if (Context.isOnEventLoopThread()) {
            context.runOnContext(v -> shutDown());
            return;
        }
        try {
            onContext(this::shutDown);
        } catch (IllegalStateException e) {
            LOG.log(System.Logger.Level.WARNING, "the bus's connections to Redis did not close cleanly", e);
        }
    }

    private Future<Void> shutDown() {
        return Future.all(publishing.close(), subscribed.close()).mapEmpty();
    }

    private Future<?> name(RedisConnection c, String role) {
        return c.send(Request.cmd(Command.CLIENT).arg("SETNAME").arg(clientName(options, role)));
    }

    /** The name of this node's connection in {@code CLIENT LIST}: {@code herald-bus:NAME:NODE:pub|sub}. */
    static String clientName(RedisBusOptions options, String role) {
        return "herald-bus:" + options.name() + ":" + options.nodeId() + ":" + role;
    }

    /** Names the connection and subscribes; up once Redis confirms the subscription. */
    private Future<?> subscribe(RedisConnection c) {
        Promise<Void> confirmed = Promise.promise();
        c.handler(push -> {
            subscribed.heard();
            if (push.type() != ResponseType.PUSH && push.type() != ResponseType.MULTI) {
                return; // an answer that came after its command was given up
            }
            String kind = push.size() > 0 ? push.get(0).toString() : "";
            if ("message".equals(kind) && push.size() == 3) {
                Buffer message = push.get(2).toBuffer();
                if (!receiver.own(message)) {
                    receiver.receive(message);
                }
            } else if ("subscribe".equals(kind)) {
                confirmed.tryComplete();
            }
        });
        return name(c, "sub")
                .compose(named -> c.send(Request.cmd(Command.SUBSCRIBE).arg(options.channel())))
                .compose(sent -> confirmed.future());
    }

    /** Runs the work on the bus's context and waits for it. */
    private void onContext(Supplier<Future<Void>> work) {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> work.get().onComplete(done));
        try {
            done.future().toCompletionStage().toCompletableFuture().get(START_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer within " + START_TIMEOUT_MS + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
