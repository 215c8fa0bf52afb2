package dev.herald.bus.redis;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One connection to Redis, made again whenever it is lost: the client does not do
 * it (docs/cluster.md §15). The first try is 100 ms after the loss and each failed
 * one doubles the wait up to 500 ms, so a returning Redis is found within half a
 * second. A connection that leaves a {@code PING} unanswered, and has said nothing
 * else since, counts as lost too: a network that drops packets without closing
 * anything would otherwise leave a subscriber waiting for messages that never come.
 * (Under load the answer queues behind the messages Redis has yet to send, so what
 * arrives meanwhile proves the connection alive.) Each connection has a client of
 * its own, closed with it, so a dead socket is never handed out again by the
 * client's pool. Everything but {@link #current()} runs on the bus's context.
 */
final class RedisLink {
    private static final System.Logger LOG = System.getLogger(RedisLink.class.getName());
    private static final long FIRST_RETRY_MS = 100;
    private static final long LAST_RETRY_MS = 500;
    private static final long PING_EVERY_MS = 1_000;
    /** A connection not set up by then, or a PING not answered by then, counts as failed. */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(2);

    private final String role;
    private final Context context;
    private final Supplier<Redis> clients;
    private final Function<RedisConnection, Future<?>> setUp;
    private final Runnable onRestored;
    private final LongAdder reconnects;

    private volatile RedisConnection connection;
    /** {@link System#nanoTime()} when the connection last said anything. */
    private volatile long lastHeard;
    private Redis client;
    private boolean closed;
    private long retryMs = FIRST_RETRY_MS;
    private long retryTimer = -1;
    private long pingTimer = -1;
    /** Completed when a first connection that failed is made at last; null otherwise. */
    private Promise<Void> firstUp;

    /**
     * @param clients    makes a client for each connection
     * @param setUp      prepares each new connection (names it, subscribes); it counts as up once that succeeds
     * @param onRestored runs after a lost connection was made again and set up
     */
    RedisLink(String role, Context context, Supplier<Redis> clients, Function<RedisConnection, Future<?>> setUp,
              Runnable onRestored, LongAdder reconnects) {
        this.role = role;
        this.context = context;
        this.clients = clients;
        this.setUp = setUp;
        this.onRestored = onRestored;
        this.reconnects = reconnects;
    }

    /** The first connection; its failure is the caller's to report. Call on the context. */
    Future<Void> open() {
        pingTimer = context.owner().setPeriodic(PING_EVERY_MS, id -> ping());
        return connect();
    }

    /**
     * The first connection, made again and again until it is up (or the link closed), as after a loss: completes once
     * it is. Call on the context.
     */
    Future<Void> openEventually() {
        Promise<Void> up = Promise.promise();
        open().onComplete(first -> {
            if (first.succeeded()) {
                up.complete();
            } else if (!closed) {
                firstUp = up;
                retryLater();
            }
        });
        return up.future();
    }

    /** The connection said something: it is alive. Any thread. */
    void heard() {
        lastHeard = System.nanoTime();
    }

    /** The connection now, or null while it is being made again. */
    RedisConnection current() {
        return connection;
    }

    /** Stops reconnecting and closes the connection. Call on the context. */
    Future<Void> close() {
        closed = true;
        context.owner().cancelTimer(retryTimer);
        context.owner().cancelTimer(pingTimer);
        connection = null;
        return client == null ? Future.succeededFuture() : client.close();
    }

    private Future<Void> connect() {
        Redis attempt = clients.get();
        client = attempt;
        return attempt.connect().compose(c -> {
            c.endHandler(v -> lost(c, null));
            c.exceptionHandler(e -> lost(c, e));
            return setUp.apply(c).timeout(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).map(ok -> c);
        }).onFailure(e -> attempt.close()).map(c -> {
            if (closed) {
                attempt.close();
            } else {
                heard();
                connection = c;
                retryMs = FIRST_RETRY_MS;
            }
            return null;
        });
    }

    private void ping() {
        RedisConnection c = connection;
        if (c == null) {
            return;
        }
        long sent = System.nanoTime();
        c.send(Request.cmd(Command.PING)).onSuccess(pong -> heard());
        context.owner().setTimer(ANSWER_TIMEOUT.toMillis(), id -> {
            if (lastHeard - sent < 0) {
                lost(c, new TimeoutException("no answer to PING within " + ANSWER_TIMEOUT.toMillis() + " ms"));
            }
        });
    }

    private void lost(RedisConnection c, Throwable cause) {
        if (connection != c) {
            return;
        }
        connection = null;
        client.close();
        if (!closed) {
            LOG.log(System.Logger.Level.WARNING, "the bus's " + role + " connection to Redis was lost"
                    + (cause == null ? "" : ": " + cause) + "; making it again");
            retryLater();
        }
    }

    private void retryLater() {
        retryTimer = context.owner().setTimer(retryMs, id -> {
            retryTimer = -1;
            if (closed) {
                return;
            }
            connect().onSuccess(ok -> {
                if (firstUp != null) {
                    firstUp.complete();
                    firstUp = null;
                }
                if (!closed) {
                    reconnects.increment();
                    LOG.log(System.Logger.Level.INFO, "the bus's " + role + " connection to Redis is back");
                    onRestored.run();
                }
            }).onFailure(e -> {
                retryMs = Math.min(retryMs * 2, LAST_RETRY_MS);
                retryLater();
            });
        });
    }
}
