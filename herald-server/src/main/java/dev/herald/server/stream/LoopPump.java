package dev.herald.server.stream;

import io.vertx.core.Context;
import io.vertx.core.internal.ContextInternal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Hands events to the readers one event loop serves, in the order they were published, a slice of time at a
 * time. Between slices the loop goes back to its sockets: Netty runs every queued task before it reads
 * again, so a fan-out to thousands of readers in one task would keep a worker's request on the same loop
 * waiting until the last reader was written. A slice is bounded in time, not in readers: a loop whose thread
 * the machine took away for a while looks at its sockets as soon as it runs again.
 * <p>
 * A round hands each reader every event queued for it when the round began, in one go, so a transport can send
 * them in one write: a loop that fell behind (the machine is short of CPU) catches up in one round, at the cost of
 * one write per reader, instead of a round and a write per reader for every event it owes, which only fell further
 * behind. Thread-safe; the readers are handed events on the loop.
 */
final class LoopPump {
    /** How long the loop hands out events before it reads its sockets again: what a worker's request waits at most. */
    static final long SLICE_NANOS = TimeUnit.MICROSECONDS.toNanos(500);
    /** Readers handed an event between two looks at the clock (one reader takes a few microseconds). */
    private static final int CLOCK_EVERY = 16;
    private static final System.Logger LOG = System.getLogger(LoopPump.class.getName());

    private record Work(EncodedEvent event, Set<FanOut.Subscriber> readers) {
    }

    private final ContextInternal context;
    private final ConcurrentLinkedQueue<Work> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean();
    /** The round's events, all for one set of readers, and the reader it got to; on the loop. */
    private List<EncodedEvent> round;
    private Iterator<FanOut.Subscriber> next;

    LoopPump(Context context) {
        this.context = (ContextInternal) context;
    }

    /** Hands the event to these readers (a live set: whoever is in it when the turn comes) on the loop. */
    void add(EncodedEvent event, Set<FanOut.Subscriber> readers) {
        queue.add(new Work(event, readers));
        if (running.compareAndSet(false, true)) {
            context.runOnContext(v -> run());
        }
    }

    /**
     * What a pump serves: readers share an event loop, not a context (each request has a duplicate of its own);
     * a worker context runs its tasks elsewhere, so it has a pump of its own.
     */
    static Object loopOf(Context context) {
        ContextInternal c = (ContextInternal) context;
        return c.isEventLoopContext() ? c.nettyEventLoop() : c.unwrap();
    }

    private void run() {
        long end = System.nanoTime() + SLICE_NANOS;
        int handed = 0;
        while (true) {
            if (round == null && !startRound()) {
                running.set(false);
                // an event added after the poll and before the flag fell found it up and queued no run
                if (queue.isEmpty() || !running.compareAndSet(false, true)) {
                    return;
                }
                continue;
            }
            while (next.hasNext()) {
                if (++handed % CLOCK_EVERY == 0 && System.nanoTime() - end >= 0) {
                    // a scheduled task runs after the loop's next look at its sockets, unlike a queued one
                    context.nettyEventLoop().schedule(() -> context.runOnContext(v -> run()), 0, TimeUnit.NANOSECONDS);
                    return;
                }
                FanOut.Subscriber reader = next.next();
                try {
                    reader.deliver(round);
                } catch (RuntimeException e) {
                    // one reader's fault must not stop the loop's other readers
                    LOG.log(System.Logger.Level.WARNING, "a stream failed to take an event", e);
                }
            }
            round = null;
            next = null;
        }
    }

    /**
     * Takes the queued events up to the first for other readers (a reader may be in several sets, so sets take turns
     * in publishing order); false when none waits.
     */
    private boolean startRound() {
        Work first = queue.poll();
        if (first == null) {
            return false;
        }
        List<EncodedEvent> events = new ArrayList<>(2);
        events.add(first.event());
        for (Work w = queue.peek(); w != null && w.readers() == first.readers(); w = queue.peek()) {
            events.add(queue.poll().event());
        }
        round = List.copyOf(events);
        next = first.readers().iterator();
        return true;
    }
}
