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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sends a node's events to the channel without ever making a publisher wait or fail.
 * Publishers only queue; the bus's context numbers what it takes from the queue and
 * hands it to Redis in pipelined batches, so the sequence is the order on the wire; events taken together share a
 * {@code PUBLISH} ({@link BusMessage}).
 * A burst waits in the queue while {@link #MAX_IN_FLIGHT} commands await Redis's
 * answer; past {@link #MAX_QUEUED} waiting events, or without a connection, events
 * are lost, counted, and still take their number: the others see the hole.
 */
final class BusPublisher {
    /** Bounds one write. */
    private static final int MAX_BATCH = 256;
    /** Envelopes in one message: about 50 KiB of progress events. */
    static final int PER_MESSAGE = 64;
    /** Events sent and not yet answered: so never more commands than the client's own bound ({@link RedisEventBus}). */
    static final int MAX_IN_FLIGHT = 4096;
    /** About a second of a whole cluster's progress at its target rate. */
    static final int MAX_QUEUED = 50_000;

    private record Outgoing(JobEvent event, String eventJson, long publishedAt) {
    }

    private final String node;
    private final String channel;
    private final Context context;
    private final RedisLink link;
    private final ConcurrentLinkedQueue<Outgoing> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    /** Events refused with a full queue: numbers the next message sent must skip. */
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final LongAdder published = new LongAdder();
    private final LongAdder failed = new LongAdder();
    /** Only touched on the context. */
    private long sequence;
    private int inFlight;

    BusPublisher(String node, String channel, Context context, RedisLink link) {
        this.node = node;
        this.channel = channel;
        this.context = context;
        this.link = link;
    }

    /** Any thread: encodes the event here, so the context only numbers and writes. */
    void publish(JobEvent event) {
        if (queued.get() >= MAX_QUEUED) {
            skipped.incrementAndGet();
            failed.increment();
            return;
        }
        queued.incrementAndGet();
        String json = event.json() != null ? event.json() : BusEnvelope.eventJson(event);
        queue.add(new Outgoing(event, json, System.currentTimeMillis()));
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
        List<String> envelopes;
        while (inFlight < MAX_IN_FLIGHT
                && !(envelopes = take(Math.min(MAX_BATCH, MAX_IN_FLIGHT - inFlight))).isEmpty()) {
            send(envelopes);
        }
    }

    private List<String> take(int max) {
        List<String> envelopes = new ArrayList<>();
        Outgoing o;
        while (envelopes.size() < max && (o = queue.poll()) != null) {
            queued.decrementAndGet();
            sequence += skipped.getAndSet(0) + 1;
            envelopes.add(BusEnvelope.encode(node, sequence, o.publishedAt(), o.event(), o.eventJson()));
        }
        return envelopes;
    }

    /** Envelopes taken together go out together, {@link #PER_MESSAGE} to a {@code PUBLISH} ({@link BusMessage}). */
    private void send(List<String> envelopes) {
        RedisConnection c = link.current();
        if (c == null) {
            failed.add(envelopes.size());
            return;
        }
        List<Request> batch = new ArrayList<>(envelopes.size() / PER_MESSAGE + 1);
        for (int from = 0; from < envelopes.size(); from += PER_MESSAGE) {
            List<String> some = envelopes.subList(from, Math.min(envelopes.size(), from + PER_MESSAGE));
            batch.add(Request.cmd(Command.PUBLISH).arg(channel).arg(BusMessage.pack(node, some)));
        }
        inFlight += envelopes.size();
        c.batch(batch).onComplete(answers -> {
            inFlight -= envelopes.size();
            if (answers.succeeded()) {
                link.heard();
                published.add(envelopes.size());
            } else {
                failed.add(envelopes.size());
            }
            drain();
        });
    }
}
