package dev.herald.server.stream;

import dev.herald.core.cluster.Interest;
import dev.herald.core.engine.JobEngine;
import dev.herald.core.event.JobEvent;
import io.vertx.core.Context;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one path from published events to every reader, whatever its transport.
 * Each event is encoded once and offered to the readers of its job on the event loops
 * that serve them ({@link LoopReaders}); offering never blocks, so a slow reader cannot
 * hold up the publisher or anyone else.
 */
public final class FanOut implements AutoCloseable {

    /** A reader of events. {@link #deliver} must not block. */
    public interface Subscriber {
        /** Called on {@link #context()}'s event loop, or on the publisher's thread when it has none. */
        void deliver(EncodedEvent event);

        /**
         * Called like {@link #deliver(EncodedEvent)} with events that were waiting for the reader together, oldest
         * first: a transport may send them in one write.
         */
        default void deliver(List<EncodedEvent> events) {
            for (EncodedEvent event : events) {
                deliver(event);
            }
        }

        /** The context whose event loop the reader is served on; null: events reach it on the publisher's thread. */
        default Context context() {
            return null;
        }
    }

    private final JobEngine engine;
    private final String epoch;
    private final ConcurrentHashMap<String, LoopReaders> byJob = new ConcurrentHashMap<>();
    /** Readers of everything below a job, keyed by that job. */
    private final ConcurrentHashMap<String, LoopReaders> bySubtree = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LoopReaders> byProject = new ConcurrentHashMap<>();
    /** One pump per event loop that serves readers, shared by every job's readers on it. */
    private final ConcurrentHashMap<Object, LoopPump> pumps = new ConcurrentHashMap<>();
    private final AtomicInteger subscriptions = new AtomicInteger();
    private final AutoCloseable busSubscription;

    public FanOut(JobEngine engine) {
        this.engine = engine;
        this.epoch = engine.epoch();
        this.busSubscription = engine.streams().subscribe(this::dispatch, this::resync);
    }

    /** Whether a reader here watches the job, so that its events from other nodes are worth reading. */
    public boolean watches(String jobId, String project, List<String> ancestors) {
        if (watched(byJob, jobId) || watched(byProject, project)) {
            return true;
        }
        for (String ancestor : ancestors) {
            if (watched(bySubtree, ancestor)) {
                return true;
            }
        }
        return false;
    }

    private static boolean watched(ConcurrentHashMap<String, LoopReaders> index, String key) {
        LoopReaders readers = key == null ? null : index.get(key);
        return readers != null && !readers.isEmpty();
    }

    /** What this node's readers watch now. */
    public Interest interest() {
        return new Interest(byJob.keySet(), bySubtree.keySet(), byProject.keySet());
    }

    /**
     * Events may have been lost between nodes (docs/cluster.md §4.4): every reader is offered the newest state of
     * what it watches, and drops it unless newer than what it holds.
     */
    private void resync() {
        Interest interest = interest();
        engine.streams().newest(interest).thenAccept(states -> {
            long position = engine.streams().position();
            states.forEach(state -> dispatch(state.at(position)));
        });
    }

    public String epoch() {
        return epoch;
    }

    private void dispatch(JobEvent event) {
        EncodedEvent[] encoded = new EncodedEvent[1];
        deliver(byJob.get(event.jobId()), event, encoded);
        for (String ancestor : event.ancestors()) {
            deliver(bySubtree.get(ancestor), event, encoded);
        }
        deliver(byProject.get(event.project()), event, encoded);
    }

    /** Encodes the event on its first reader, so an event nobody reads is never encoded. */
    private void deliver(LoopReaders readers, JobEvent event, EncodedEvent[] encoded) {
        if (readers == null || readers.isEmpty()) {
            return;
        }
        if (encoded[0] == null) {
            encoded[0] = new EncodedEvent(event, epoch);
        }
        readers.deliver(encoded[0]);
    }

    /** Subscribes the reader to these jobs; closing the handle undoes it, once, however often it is closed. */
    public Registration register(Collection<String> jobIds, Subscriber subscriber) {
        List<Key> keys = jobIds.stream().map(id -> new Key(byJob, id)).toList();
        return register(keys, subscriber);
    }

    /** Subscribes the reader to a job and everything below it, descendants created later included. */
    public Registration registerSubtree(String rootId, Subscriber subscriber) {
        return register(List.of(new Key(byJob, rootId), new Key(bySubtree, rootId)), subscriber);
    }

    /** Subscribes the reader to every job of a project, jobs created later included. */
    public Registration registerProject(String project, Subscriber subscriber) {
        return register(List.of(new Key(byProject, project)), subscriber);
    }

    private record Key(ConcurrentHashMap<String, LoopReaders> index, String name) {
    }

    private Registration register(List<Key> keys, Subscriber subscriber) {
        for (Key key : keys) {
            // add inside compute: a concurrent close may drop an emptied set from the map
            key.index().compute(key.name(), (k, set) -> {
                LoopReaders readers = set != null ? set : new LoopReaders(this::pump);
                readers.add(subscriber);
                return readers;
            });
        }
        subscriptions.addAndGet(keys.size());
        return new Registration(keys, subscriber);
    }

    private LoopPump pump(Context context) {
        return pumps.computeIfAbsent(LoopPump.loopOf(context), k -> new LoopPump(context));
    }

    /** Subscriptions (to a job, a subtree or a project) currently held by all readers. */
    public int subscriptionCount() {
        return subscriptions.get();
    }

    @Override
    public void close() {
        try {
            busSubscription.close();
        } catch (Exception ignored) {
            // the bus is closing too
        }
    }

    /** A reader's hold on some jobs. */
    public final class Registration implements AutoCloseable {
        private final List<Key> keys;
        private final Subscriber subscriber;
        private boolean closed;

        private Registration(List<Key> keys, Subscriber subscriber) {
            this.keys = keys;
            this.subscriber = subscriber;
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            for (Key key : keys) {
                key.index().computeIfPresent(key.name(), (k, set) -> {
                    set.remove(subscriber);
                    return set.isEmpty() ? null : set;
                });
            }
            subscriptions.addAndGet(-keys.size());
        }
    }
}
