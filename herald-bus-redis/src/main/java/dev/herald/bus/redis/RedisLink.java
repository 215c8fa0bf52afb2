package dev.herald.bus.redis;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * One connection to Redis, made again whenever it is lost: the client does not do
 * it (docs/cluster.md §15). The first try is 100 ms after the loss and each failed
 * one doubles the wait up to 500 ms, so a returning Redis is found within half a
 * second. Everything but {@link #current()} runs on the bus's context.
 */
final class RedisLink {
    private static final System.Logger LOG = System.getLogger(RedisLink.class.getName());
    private static final long FIRST_RETRY_MS = 100;
    private static final long LAST_RETRY_MS = 500;
    /** A connection that has not finished its set-up by then counts as failed. */
    static final Duration SET_UP_TIMEOUT = Duration.ofSeconds(2);

    private final String role;
    private final Context context;
    private final Redis client;
    private final Function<RedisConnection, Future<?>> setUp;
    private final Runnable onRestored;
    private final LongAdder reconnects;

    private volatile RedisConnection connection;
    private boolean closed;
    private long retryMs = FIRST_RETRY_MS;
    private long timer = -1;

    /**
     * @param setUp      prepares each new connection (names it, subscribes); it counts as up once that succeeds
     * @param onRestored runs after a lost connection was made again and set up
     */
    RedisLink(String role, Context context, Redis client, Function<RedisConnection, Future<?>> setUp,
              Runnable onRestored, LongAdder reconnects) {
        this.role = role;
        this.context = context;
        this.client = client;
        this.setUp = setUp;
        this.onRestored = onRestored;
        this.reconnects = reconnects;
    }

    /** The first connection; its failure is the caller's to report. Call on the context. */
    Future<Void> open() {
        return connect();
    }

    /** The connection now, or null while it is being made again. */
    RedisConnection current() {
        return connection;
    }

    /** Stops reconnecting and closes the connection. Call on the context. */
    void close() {
        closed = true;
        if (timer >= 0) {
            context.owner().cancelTimer(timer);
        }
        RedisConnection c = connection;
        connection = null;
        if (c != null) {
            c.close();
        }
    }

    private Future<Void> connect() {
        return client.connect().compose(c -> {
            c.endHandler(v -> lost(c, null));
            c.exceptionHandler(e -> lost(c, e));
            return setUp.apply(c).timeout(SET_UP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .onFailure(e -> c.close())
                    .map(ok -> c);
        }).map(c -> {
            if (closed) {
                c.close();
            } else {
                connection = c;
                retryMs = FIRST_RETRY_MS;
            }
            return null;
        });
    }

    private void lost(RedisConnection c, Throwable cause) {
        if (connection != c) {
            return;
        }
        connection = null;
        c.close();
        if (!closed) {
            LOG.log(System.Logger.Level.WARNING, "the bus's " + role + " connection to Redis was lost"
                    + (cause == null ? "" : ": " + cause) + "; making it again");
            retryLater();
        }
    }

    private void retryLater() {
        timer = context.owner().setTimer(retryMs, id -> {
            timer = -1;
            if (closed) {
                return;
            }
            connect().onSuccess(ok -> {
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
