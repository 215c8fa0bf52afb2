package dev.herald.bus.redis;

import dev.herald.core.event.JobEvent;
import io.vertx.core.Context;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sends a node's events to the channel without ever making a publisher wait or fail.
 * Publishers only queue; the bus's context numbers what is queued and hands it to
 * Redis in pipelined batches, so the sequence is the order on the wire and every
 * event takes a number, sent or not: a failed send leaves a hole the others see.
 */
final class BusPublisher {
    /** Bounds one write; the connection also bounds the commands awaiting an answer. */
    private static final int MAX_BATCH = 256;

    private record Outgoing(JobEvent event, String eventJson, long publishedAt) {
    }

    private final String node;
    private final String channel;
    private final Context context;
    private final RedisLink link;
    private final ConcurrentLinkedQueue<Outgoing> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final LongAdder published = new LongAdder();
    private final LongAdder failed = new LongAdder();
    /** Only touched on the context. */
    private long sequence;

    BusPublisher(String node, String channel, Context context, RedisLink link) {
        this.node = node;
        this.channel = channel;
        this.context = context;
        this.link = link;
    }

    /** Any thread: encodes the event here, so the context only numbers and writes. */
    void publish(JobEvent event) {
        queue.add(new Outgoing(event, BusEnvelope.eventJson(event), System.currentTimeMillis()));
        if (drainScheduled.compareAndSet(false, true)) {
            context.runOnContext(v -> drain());
        }
    }

    long published() {
        return published.sum();
    }

    long failed() {
        return failed.sum();
    }

    private void drain() {
        // cleared first: an event queued from here on schedules another drain
        drainScheduled.set(false);
        List<Request> batch = new ArrayList<>();
        Outgoing o;
        while ((o = queue.poll()) != null) {
            String message = BusEnvelope.encode(node, ++sequence, o.publishedAt(), o.event(), o.eventJson());
            batch.add(Request.cmd(Command.PUBLISH).arg(channel).arg(message));
            if (batch.size() == MAX_BATCH) {
                send(batch);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            send(batch);
        }
    }

    private void send(List<Request> batch) {
        RedisConnection c = link.current();
        if (c == null) {
            failed.add(batch.size());
            return;
        }
        c.batch(batch).onComplete(
                ok -> published.add(batch.size()),
                e -> failed.add(batch.size()));
    }
}
