package dev.herald.server.stream;

import io.vertx.core.Context;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The readers of one job (or subtree, or project), grouped by the event loop that serves each. An event
 * reaches each loop's readers through that loop's {@link LoopPump}: the publisher (often the loop that took
 * a worker's request) queues it once per loop and goes on, instead of once per reader, and no reader is
 * written before the worker is answered. Readers without a context are handed the event on the publisher's
 * thread. Thread-safe.
 */
final class LoopReaders {
    private final Function<Context, LoopPump> pumps;
    private final ConcurrentHashMap<Object, Loop> loops = new ConcurrentHashMap<>();
    private final Set<FanOut.Subscriber> direct = ConcurrentHashMap.newKeySet();

    private record Loop(LoopPump pump, Set<FanOut.Subscriber> readers) {
    }

    /** @param pumps the pump of the loop a context runs on */
    LoopReaders(Function<Context, LoopPump> pumps) {
        this.pumps = pumps;
    }

    void add(FanOut.Subscriber s) {
        Context context = s.context();
        if (context == null) {
            direct.add(s);
            return;
        }
        loops.compute(LoopPump.loopOf(context), (k, loop) -> {
            Loop l = loop != null ? loop : new Loop(pumps.apply(context), ConcurrentHashMap.newKeySet());
            l.readers().add(s);
            return l;
        });
    }

    void remove(FanOut.Subscriber s) {
        Context context = s.context();
        if (context == null) {
            direct.remove(s);
            return;
        }
        loops.computeIfPresent(LoopPump.loopOf(context), (k, loop) -> {
            loop.readers().remove(s);
            return loop.readers().isEmpty() ? null : loop;
        });
    }

    boolean isEmpty() {
        return loops.isEmpty() && direct.isEmpty();
    }

    void deliver(EncodedEvent event) {
        for (Loop loop : loops.values()) {
            loop.pump().add(event, loop.readers());
        }
        for (FanOut.Subscriber s : direct) {
            s.deliver(event);
        }
    }
}
