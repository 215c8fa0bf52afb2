package dev.herald.bus.redis;

import dev.herald.core.port.Subscriptions;
import dev.herald.core.port.Watched;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * Turns the channel's messages into deliveries, on the bus's context only, so each
 * node's events reach the listeners in the order Redis passed them on. A hole in a
 * node's sequence means Redis lost some of them: the listeners hear of it first.
 */
final class BusReceiver {
    private static final System.Logger LOG = System.getLogger(BusReceiver.class.getName());

    private final byte[] ownBytes;
    private final Subscriptions subscriptions;
    /** The last sequence seen of each other node since the subscription was (re)made. */
    private final Map<String, Long> lastSequence = new HashMap<>();
    private final LongAdder received = new LongAdder();
    private final LongAdder unread = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder gaps = new LongAdder();
    /** Told each received event's age in milliseconds (publish to arrival, by the two nodes' wall clocks). */
    private volatile LongConsumer lag = millis -> { };
    /** Until told, every event is read, as a bus's own tests and any listener but readers need. */
    private volatile Watched watched = Watched.EVERYTHING;

    BusReceiver(String node, Subscriptions subscriptions) {
        this.ownBytes = BusEnvelope.ownPrefix(node).getBytes(StandardCharsets.UTF_8);
        this.subscriptions = subscriptions;
    }

    /**
     * Whether the message is one of this node's (delivered locally when it was published), told from its first
     * bytes without making it a string.
     */
    boolean own(Buffer message) {
        if (message.length() < ownBytes.length) {
            return false;
        }
        for (int i = 0; i < ownBytes.length; i++) {
            if (message.getByte(i) != ownBytes[i]) {
                return false;
            }
        }
        return true;
    }

    /** A message of the channel that is not this node's: one envelope or several ({@link BusMessage}). */
    void receive(Buffer message) {
        List<Buffer> envelopes = BusMessage.unpack(message);
        if (envelopes == null) {
            dropped(new IllegalArgumentException("its head's lengths do not match the envelopes behind it"));
            return;
        }
        for (Buffer envelope : envelopes) {
            receiveEnvelope(envelope);
        }
    }

    private void receiveEnvelope(Buffer message) {
        if (own(message)) {
            return; // delivered locally when it was published
        }
        BusEnvelope.Header header = BusEnvelope.header(message);
        if (header != null && !header.type().isRetained()
                && !watched.watches(header.jobId(), header.project(), header.ancestors())) {
            // only readers take it and none here does: its number and age are all that count (docs/cluster.md §4.6)
            arrived(header.node(), header.sequence(), header.publishedAt());
            unread.increment();
            return;
        }
        BusEnvelope envelope;
        try {
            envelope = BusEnvelope.decode(message.toString(StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            dropped(e);
            return;
        }
        arrived(envelope.node(), envelope.sequence(), envelope.publishedAt());
        subscriptions.deliver(envelope.event());
    }

    private void dropped(IllegalArgumentException e) {
        dropped.increment();
        // a stray publisher on the channel would fill the log: the first says so, the counter tells the rest
        LOG.log(dropped.sum() == 1 ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG,
                "ignored a message on the bus's channel that is no event of a node: " + e.getMessage());
    }

    private void arrived(String node, long sequence, long publishedAt) {
        Long last = lastSequence.put(node, sequence);
        if (last != null && sequence != last + 1) {
            gaps.increment();
            subscriptions.missed();
        }
        received.increment();
        lag.accept(System.currentTimeMillis() - publishedAt);
    }

    void watchedBy(Watched readers) {
        watched = readers;
    }

    long unread() {
        return unread.sum();
    }

    /**
     * A new subscription: what was lost before it is told as a whole, so each node's
     * next message starts its sequence afresh instead of showing the same hole again.
     */
    void resubscribed() {
        lastSequence.clear();
        subscriptions.missed();
    }

    void onLag(LongConsumer meter) {
        lag = meter;
    }

    long received() {
        return received.sum();
    }

    long dropped() {
        return dropped.sum();
    }

    long gaps() {
        return gaps.sum();
    }
}
