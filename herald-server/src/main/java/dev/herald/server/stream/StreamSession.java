package dev.herald.server.stream;

import dev.herald.core.engine.JobEngine;
import dev.herald.core.event.EventType;
import dev.herald.core.event.JobEvent;
import dev.herald.core.event.StreamCursor;
import dev.herald.core.model.Job;
import io.vertx.core.Context;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One reader's stream of some jobs, the same for every transport: live events are
 * buffered from the moment of subscription; then the retained events after the
 * reader's cursor are replayed, one snapshot per job follows, and the live events
 * flow. Per job, nothing older than what was already sent goes out, so a reader
 * sees each job's versions in order.
 */
public final class StreamSession implements FanOut.Subscriber {
    private static final int REPLAY_PAGE = 1000;

    /**
     * What a reader asked for: a scope; where it got to, as a stream cursor or as the
     * version it holds of each job (WebSocket {@code since}), or neither; and event
     * types (null for all).
     */
    public record Request(StreamScope scope, StreamCursor cursor, Map<String, Long> since, Set<EventType> types) {
        public Request(StreamScope scope, StreamCursor cursor, Set<EventType> types) {
            this(scope, cursor, null, types);
        }
    }

    private final JobEngine engine;
    private final FanOut fanOut;
    private final Context context;
    private final StreamTransport transport;
    private final ConflatingQueue queue;
    private final Request request;
    /** Per job, the {@link #mark} of the newest event sent. */
    private final SentMarks sent = new SentMarks();
    /** While the transport is full, waiting states conflate. On the context. */
    private boolean full;
    /** Whether a drain callback is registered with the transport, so it is registered once. On the context. */
    private boolean drainAwaited;
    private volatile boolean live;
    private volatile boolean closed;
    private FanOut.Registration registration;

    /** @param budget the reader's allowance of waiting status/log events, shared by all its sessions */
    public StreamSession(JobEngine engine, FanOut fanOut, Context context, StreamTransport transport,
                         ConflatingQueue.Budget budget, Request request) {
        this.engine = engine;
        this.fanOut = fanOut;
        this.context = context;
        this.transport = transport;
        this.queue = new ConflatingQueue(budget);
        this.request = request;
    }

    /**
     * Subscribes, reads the snapshots and replays. The future fails ({@code not_found})
     * before anything reaches the reader if a job is unknown; when it completes,
     * the caller has the transport ready and calls {@link #begin}.
     */
    public CompletableFuture<List<EncodedEvent>> open() {
        registration = request.scope().register(fanOut, this);
        // A snapshot may hold changes not yet published: wait until they are, then replay. Every retained event a
        // snapshot's version includes is then replayed (or lies before the reader's cursor) and none hides behind it;
        // anything later comes live, as the subscription came first.
        return request.scope().snapshots(engine).thenCompose(jobs ->
                engine.streams().published(jobs.stream().map(Job::id).toList()).thenCompose(published ->
                        replayed(published).thenApply(replayed -> first(replayed, jobs, published))))
                .whenComplete((r, e) -> {
                    if (e != null) {
                        close();
                    }
                });
    }

    private CompletableFuture<List<JobEvent>> replayed(long published) {
        Map<String, Long> since = request.since();
        if (since != null && !since.isEmpty()) {
            return replay(0, new ArrayList<>()).thenApply(events -> notHeld(events, since));
        }
        return replayFrom(published).thenCompose(after -> after < 0
                ? CompletableFuture.completedFuture(List.of()) : replay(after, new ArrayList<>()));
    }

    private List<EncodedEvent> first(List<JobEvent> replayed, List<Job> jobs, long published) {
        long position = published;
        List<EncodedEvent> first = new ArrayList<>(replayed.size() + jobs.size());
        for (JobEvent e : replayed) {
            position = Math.max(position, e.position());
            first.add(new EncodedEvent(e, fanOut.epoch()));
        }
        for (Job job : jobs) {
            first.add(new EncodedEvent(JobEvent.snapshot(job, position), fanOut.epoch()));
        }
        return first;
    }

    /**
     * The retained events a reader holding these versions may lack. Of a job it names, those above
     * its version. Of any other (a descendant created while it was away, which it cannot name),
     * those after the point it is known to have reached: the last event it holds of a job it names.
     * Retained events go out in position order and are never conflated, so it had every one before
     * that point. Some it had may come again; none it lacks is left out.
     */
    static List<JobEvent> notHeld(List<JobEvent> events, Map<String, Long> since) {
        long reached = 0;
        for (JobEvent e : events) {
            Long held = since.get(e.jobId());
            if (held != null && e.version() <= held) {
                reached = Math.max(reached, e.position());
            }
        }
        long from = reached;
        return events.stream().filter(e -> {
            Long held = since.get(e.jobId());
            return held != null ? e.version() > held : e.position() > from;
        }).toList();
    }

    /** Sends the replay and snapshots, then lets live events flow. On the connection's context. */
    public void begin(List<EncodedEvent> first) {
        for (EncodedEvent e : first) {
            send(e);
        }
        live = true;
        drain();
    }

    /**
     * Where the reader's cursor points, or -1 for a cursor of another store or beyond any position the
     * store gave out. A cursor past this node's published position may come from a node a moment
     * ahead; only then is the store asked.
     */
    private CompletableFuture<Long> replayFrom(long published) {
        StreamCursor c = request.cursor();
        if (c == null || !c.epoch().equals(fanOut.epoch())) {
            return CompletableFuture.completedFuture(-1L);
        }
        if (c.position() <= published) {
            return CompletableFuture.completedFuture(c.position());
        }
        return engine.streams().storedPosition().thenApply(head -> c.position() <= head ? c.position() : -1L);
    }

    private CompletableFuture<List<JobEvent>> replay(long after, List<JobEvent> acc) {
        return request.scope().retained(engine, after, REPLAY_PAGE).thenCompose(events -> {
            acc.addAll(events);
            if (events.size() < REPLAY_PAGE) {
                return CompletableFuture.completedFuture(acc);
            }
            return replay(events.get(events.size() - 1).position(), acc);
        });
    }

    @Override
    public Context context() {
        return context;
    }

    /** On the context's event loop: a reader that keeps up is written at once, else the event waits its turn. */
    @Override
    public void deliver(EncodedEvent event) {
        if (closed) {
            return;
        }
        if (live && !full && queue.isEmpty() && !transport.writeQueueFull()) {
            send(event);
            return;
        }
        if (!queue.offer(event)) {
            closed = true;
            close();
            transport.overflow();
            return;
        }
        if (live) {
            drain();
        }
    }

    /** Several events at once, as {@link #deliver(EncodedEvent)} would take them, sent in one write. */
    @Override
    public void deliver(List<EncodedEvent> events) {
        transport.hold();
        try {
            for (EncodedEvent event : events) {
                deliver(event);
            }
        } finally {
            transport.release();
        }
    }

    /**
     * Writes what waits until the transport is full; only then do waiting states conflate (a reader that keeps
     * up gets every version, however the events and this loop interleave), until it takes more again. Each
     * event still looks, so a drain the transport fails to report cannot stall the stream.
     */
    private void drain() {
        while (!closed) {
            if (transport.writeQueueFull()) {
                if (!full) {
                    full = true;
                    queue.conflate(true);
                }
                if (!drainAwaited) {
                    drainAwaited = true;
                    transport.onDrain(this::drained);
                }
                return;
            }
            if (full) {
                full = false;
                queue.conflate(false);
            }
            EncodedEvent e = queue.poll();
            if (e == null) {
                return;
            }
            send(e);
        }
    }

    private void drained() {
        drainAwaited = false;
        drain();
    }

    private void send(EncodedEvent e) {
        JobEvent event = e.event();
        long before = sent.get(event.jobId());
        boolean snapshot = event.type() == EventType.SNAPSHOT;
        long mark = mark(event);
        if (snapshot ? mark < before : mark <= before) {
            return;
        }
        sent.put(event.jobId(), mark);
        if (snapshot || request.types() == null || request.types().contains(event.type())) {
            transport.write(e);
        }
    }

    /**
     * The event's version, ranked so that a state passes a log line of its version: the line carries no state, and
     * the state after it can come later, as a resync sends it after lost events (docs/cluster.md §4.4).
     */
    private static long mark(JobEvent event) {
        return 2 * event.version() + (event.job() != null ? 1 : 0);
    }

    /** Stops the subscription and gives back its share of the budget; safe to call more than once, from any thread. */
    public void close() {
        closed = true;
        if (registration != null) {
            registration.close();
        }
        queue.close();
    }
}
