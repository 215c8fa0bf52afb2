package dev.herald.bus.redis;

import dev.herald.core.port.Subscriptions;

import java.util.HashMap;
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

    private final String ownPrefix;
    private final Subscriptions subscriptions;
    /** The last sequence seen of each other node since the subscription was (re)made. */
    private final Map<String, Long> lastSequence = new HashMap<>();
    private final LongAdder received = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder gaps = new LongAdder();
    /** Told each received event's age in milliseconds (publish to arrival, by the two nodes' wall clocks). */
    private volatile LongConsumer lag = millis -> { };

    BusReceiver(String node, Subscriptions subscriptions) {
        this.ownPrefix = BusEnvelope.ownPrefix(node);
        this.subscriptions = subscriptions;
    }

    void receive(String message) {
        if (message.startsWith(ownPrefix)) {
            return; // delivered locally when it was published
        }
        BusEnvelope envelope;
        try {
            envelope = BusEnvelope.decode(message);
        } catch (IllegalArgumentException e) {
            dropped.increment();
            // a stray publisher on the channel would fill the log: the first says so, the counter tells the rest
            LOG.log(dropped.sum() == 1 ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG,
                    "ignored a message on the bus's channel that is no event of a node: " + e.getMessage());
            return;
        }
        Long last = lastSequence.put(envelope.node(), envelope.sequence());
        if (last != null && envelope.sequence() != last + 1) {
            gaps.increment();
            subscriptions.missed();
        }
        received.increment();
        lag.accept(System.currentTimeMillis() - envelope.publishedAt());
        subscriptions.deliver(envelope.event());
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
