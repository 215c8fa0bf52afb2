package dev.herald.core.cluster;

import dev.herald.core.event.JobEvent;
import dev.herald.core.port.Subscriptions;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Dispatches the events of every node of a cluster, this one's included, strictly by store position
 * (docs/cluster.md §4.3). {@code delivered} is the position up to which every retained event has been
 * dispatched. A retained event goes out at {@code delivered + 1}; any other event carries the position it
 * requires (the last retained event its node had published) and goes out once {@code delivered} reaches it,
 * stamped with {@code delivered}. What waits longer than the gap wait, or past {@link #MAX_HELD} events, is
 * read from the store, which has every retained event; so is anything above {@code delivered} that the counter,
 * read every poll, shows. So a reader at position P has every retained event up to P of its jobs, whichever
 * node wrote them. After the bus says it may have lost events, the store is read and, one flush interval later
 * (owners have written what they held), every listener's {@code onMissed} runs: progress is not stored as events,
 * so readers get the newest states instead.
 */
public final class EventOrder implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EventOrder.class.getName());
    static final int PAGE = 1000;
    static final int MAX_HELD = 10_000;

    /** What the store tells of the events the bus missed. */
    public interface Source {
        /** The highest position given out. */
        long head();

        /** Retained events after {@code after} up to {@code upTo}, oldest first, with their ancestors. */
        List<JobEvent> eventsBetween(long after, long upTo, int limit);
    }

    /** Timings: how long an event may wait for the bus, how often the counter is read, when onMissed runs. */
    public record Timing(Duration gapWait, Duration poll, Duration resyncDelay) {
        public static Timing of(Duration flushInterval) {
            return new Timing(Duration.ofMillis(20), Duration.ofSeconds(1), flushInterval);
        }
    }

    /** An event waiting in the order, with when it arrived ({@link System#nanoTime}) for {@code herald.bus.held}. */
    private record Held(JobEvent event, long since) {
    }

    private final Source source;
    private final Timing timing;
    private final NodeMeters meters;
    private final ScheduledExecutorService thread;
    private final Subscriptions listeners = new Subscriptions();
    private final LongAdder caughtUp = new LongAdder();
    private final LongAdder resyncs = new LongAdder();
    /** Retained events above {@code delivered + 1}, by position. Guarded by this. */
    private final TreeMap<Long, Held> ahead = new TreeMap<>();
    /** Other events whose requirement is above {@code delivered}, in arrival order. Guarded by this. */
    private final ArrayDeque<Held> waiting = new ArrayDeque<>();
    private volatile long delivered;
    /** Whether a look at held events is scheduled. Guarded by this. */
    private boolean gapCheck;
    /** Whether a catch-up for too many held events is queued. Guarded by this. */
    private boolean overflowCatchUp;

    /**
     * @param delivered the store's head when this node starts: earlier events are the store's to replay
     * @param thread    a single thread of the order's own, for store reads; stopped by {@link #close}
     */
    public EventOrder(Source source, long delivered, Timing timing, NodeMeters meters,
                      ScheduledExecutorService thread) {
        this.source = source;
        this.delivered = delivered;
        this.timing = timing;
        this.meters = meters;
        this.thread = thread;
        long poll = timing.poll().toNanos();
        thread.scheduleWithFixedDelay(() -> catchUp("poll"), poll, poll, TimeUnit.NANOSECONDS);
    }

    /** Every retained event up to this position has been dispatched. */
    public long delivered() {
        return delivered;
    }

    /** Listeners of the ordered events; {@code onMissed} runs when progress of other nodes may have been lost. */
    public AutoCloseable subscribe(Consumer<JobEvent> listener, Runnable onMissed) {
        return listeners.add(listener, onMissed);
    }

    /** An event from the bus, this node's or another's; any thread. */
    public synchronized void accept(JobEvent e) {
        if (e.type().isRetained()) {
            if (e.position() == delivered + 1) {
                dispatch(e);
                releaseAhead();
            } else if (e.position() > delivered) {
                ahead.put(e.position(), new Held(e, System.nanoTime()));
                held();
            }
            // at or below delivered: already read from the store
        } else if (e.position() <= delivered) {
            // a job's requirements never fall, so none of its earlier events still waits
            listeners.deliver(e.at(delivered));
        } else {
            waiting.add(new Held(e, System.nanoTime()));
            held();
        }
    }

    /** The bus may have lost events: catch up from the store, then tell the listeners once owners have flushed. */
    public void missed() {
        thread.execute(() -> catchUp("reconnect"));
        thread.schedule(() -> {
            resyncs.increment();
            meters.resynced();
            listeners.missed();
        }, timing.resyncDelay().toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Retained events read from the store because the bus had not brought them (yet). */
    public long caughtUp() {
        return caughtUp.sum();
    }

    /** Times the listeners were told that events may have been lost. */
    public long resyncs() {
        return resyncs.sum();
    }

    /**
     * Reads the store up to its head and dispatches what the bus has not. On the order's thread.
     *
     * @param reason why, for {@code herald.bus.caught_up}: gap (held too long or too many), poll, reconnect
     */
    void catchUp(String reason) {
        try {
            long head = source.head();
            meters.behind(head - delivered);
            long from = delivered;
            while (from < head) {
                List<JobEvent> page = source.eventsBetween(from, head, PAGE);
                int fromStore = 0;
                synchronized (this) {
                    for (JobEvent e : page) {
                        Held held = ahead.remove(e.position());
                        if (e.position() <= delivered) {
                            continue;
                        }
                        if (held == null) {
                            fromStore++;
                            caughtUp.increment(); // counted before a listener hears of it
                            dispatch(e);
                        } else {
                            // as the bus brought it, when it did: with its ancestors and JSON
                            dispatch(held);
                        }
                    }
                    if (page.size() < PAGE && head > delivered) {
                        // the positions not returned were deleted with their jobs
                        delivered = head;
                        releaseWaiting();
                    }
                    releaseAhead();
                }
                meters.caughtUp(reason, fromStore);
                from = page.size() < PAGE ? head : page.get(page.size() - 1).position();
            }
        } catch (RuntimeException e) {
            // the store is down: the next poll tries again, and events keep waiting meanwhile
            LOG.log(System.Logger.Level.WARNING, "could not read the events the bus missed from the store", e);
        }
    }

    private void dispatch(Held held) {
        meters.held(System.nanoTime() - held.since());
        dispatch(held.event());
    }

    private void dispatch(JobEvent retained) {
        delivered = retained.position();
        listeners.deliver(retained);
        releaseWaiting();
    }

    /** Dispatches the retained events that have become next, dropping those the store already gave. */
    private void releaseAhead() {
        for (Map.Entry<Long, Held> next = ahead.firstEntry(); next != null; next = ahead.firstEntry()) {
            if (next.getKey() > delivered + 1) {
                return;
            }
            ahead.pollFirstEntry();
            if (next.getKey() == delivered + 1) {
                dispatch(next.getValue());
            }
        }
    }

    private void releaseWaiting() {
        for (Iterator<Held> it = waiting.iterator(); it.hasNext(); ) {
            Held held = it.next();
            if (held.event().position() <= delivered) {
                it.remove();
                meters.held(System.nanoTime() - held.since());
                listeners.deliver(held.event().at(delivered));
            }
        }
    }

    /** Something waits: if the bus does not bring what it needs within the gap wait, the store will. */
    private void held() {
        if (ahead.size() + waiting.size() > MAX_HELD && !overflowCatchUp) {
            overflowCatchUp = true;
            thread.execute(() -> {
                synchronized (this) {
                    overflowCatchUp = false;
                }
                catchUp("gap");
            });
        }
        if (!gapCheck) {
            gapCheck = true;
            thread.schedule(this::checkGap, timing.gapWait().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void checkGap() {
        boolean stillHeld;
        synchronized (this) {
            gapCheck = false;
            stillHeld = !ahead.isEmpty() || !waiting.isEmpty();
        }
        if (stillHeld) {
            catchUp("gap");
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        listeners.closeAll();
    }
}
