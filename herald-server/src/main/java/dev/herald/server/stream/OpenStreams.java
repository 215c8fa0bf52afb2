package dev.herald.server.stream;

import dev.herald.server.auth.Principal;
import io.vertx.core.Vertx;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The open streams (SSE, WebSocket and long polls) and the credentials they were opened with:
 * a credential may hold only so many, a stream ends when its credential expires,
 * and all of a key's streams end when the key is revoked. A stream that ends
 * this way is told why; its client reconnects with a fresh credential.
 */
public final class OpenStreams {

    /** A stream that can be ended from here; {@link #end} runs on any thread. */
    public interface Stream {
        void end(String reason);
    }

    private record Held(Principal principal, long expiryTimer) {
    }

    private final Vertx vertx;
    private final int maxPerCredential;
    private final Clock clock;
    private final ConcurrentHashMap<Stream, Held> open = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> perCredential = new ConcurrentHashMap<>();

    /** @param clock the time credentials expire by */
    public OpenStreams(Vertx vertx, int maxPerCredential, Clock clock) {
        this.vertx = vertx;
        this.maxPerCredential = maxPerCredential;
        this.clock = clock;
    }

    /** Registers a stream; false when its credential already holds the most it may. */
    public boolean add(Stream stream, Principal p) {
        if (!p.isOperator()) {
            AtomicInteger count = perCredential.computeIfAbsent(credential(p), k -> new AtomicInteger());
            if (count.incrementAndGet() > maxPerCredential) {
                count.decrementAndGet();
                return false;
            }
        }
        long timer = -1;
        if (p.expiresAt() != null) {
            long ms = Math.max(1, p.expiresAt().toEpochMilli() - clock.millis());
            timer = vertx.setTimer(ms, t -> stream.end("the token expired: reconnect with a fresh one"));
        }
        open.put(stream, new Held(p, timer));
        return true;
    }

    public void remove(Stream stream) {
        Held held = open.remove(stream);
        if (held != null) {
            vertx.cancelTimer(held.expiryTimer());
            if (!held.principal().isOperator()) {
                perCredential.computeIfPresent(credential(held.principal()),
                        (k, n) -> n.decrementAndGet() <= 0 ? null : n);
            }
        }
    }

    /** Ends every stream opened with that key. */
    public void revoked(String keyId) {
        open.forEach((stream, held) -> {
            if (keyId.equals(held.principal().keyId())) {
                stream.end("the token was revoked");
            }
        });
    }

    public int size() {
        return open.size();
    }

    private static String credential(Principal p) {
        return p.keyId() != null ? "key:" + p.keyId() : "sub:" + p.subject();
    }
}
