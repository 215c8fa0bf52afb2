package dev.herald.client;

import dev.herald.client.transport.EventQuery;
import dev.herald.client.transport.RetryableException;
import dev.herald.client.transport.ServerUnreachableException;
import dev.herald.client.transport.Transport;
import dev.herald.core.event.EventType;
import dev.herald.core.event.JobEvent;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A {@link Watch}: one stream at a time, reconnected after every drop with the cursor of the last event, and
 * long polling while streams do not get through. Streams, polls and the probe that tries the stream again all
 * hand their events to {@link #offer}; the watch's {@link SerialExecutor} drops what the listener already had
 * ({@link JobVersions}) and calls it, one event at a time. Decisions (reconnect, fall back, go live, end) are
 * taken under the watch's lock; events pass without it.
 */
final class EventWatch implements Watch, StreamAttempt.Outcome, PollingLoop.Owner {
    private static final Backoff RECONNECT = Backoff.fullJitter(Duration.ofMillis(500), Duration.ofSeconds(20));
    /** Connects in a row that reached the server but never spoke before the watch falls back to polling. */
    private static final int FAILED_CONNECTS = 3;

    private final Transport transport;
    private final WatchThreads threads;
    private final Consumer<JobEvent> listener;
    private final WatchSettings settings;
    private final Consumer<EventWatch> onClosed;
    private final SerialExecutor serial;
    private final JobVersions versions = new JobVersions();
    private final WatchStates states;
    private volatile EventQuery query;
    private volatile String cursor;
    private volatile HeraldException error;
    private volatile StreamAttempt attempt;
    private PollingLoop polling;
    private ScheduledFuture<?> pending;
    /** Attempts in a row that never spoke: the reconnect wait grows with them. */
    private int failures;
    /** Of those, the ones that reached the server: three mean streams do not get through. */
    private int failedConnects;

    EventWatch(Transport transport, WatchThreads threads, EventQuery query, Consumer<JobEvent> listener,
               WatchSettings settings, Consumer<EventWatch> onClosed) {
        this.transport = transport;
        this.threads = threads;
        this.query = query;
        this.listener = listener;
        this.settings = settings;
        this.onClosed = onClosed;
        this.serial = new SerialExecutor(threads.delivery);
        this.states = new WatchStates(serial);
    }

    synchronized void start() {
        connect();
    }

    private synchronized void connect() {
        if (states.closed()) {
            return;
        }
        StreamAttempt a = new StreamAttempt(this, threads.timer, settings.silence().toNanos());
        attempt = a;
        try {
            a.opened(transport.events(query, cursor, a));
        } catch (RuntimeException e) {
            a.closed(e instanceof HeraldException h ? h : new RetryableException(
                    ErrorCode.UNAVAILABLE, "cannot open a stream: " + e, null));
        }
    }

    // ---- what attempts report

    @Override
    public void event(StreamAttempt from, JobEvent event, String eventCursor) {
        if (from != attempt) {
            return;
        }
        if (eventCursor != null) {
            cursor = eventCursor;
        }
        if (event.type() == EventType.DELETED) {
            forget(event.jobId());
        }
        offer(event);
    }

    @Override
    public synchronized void live(StreamAttempt from) {
        if (from != attempt || states.closed()) {
            return;
        }
        failures = 0;
        failedConnects = 0;
        stopPolling();
        cancelPending();
        states.set(State.LIVE);
    }

    @Override
    public synchronized void ended(StreamAttempt from, HeraldException why, boolean wasLive) {
        if (from != attempt || states.closed()) {
            return;
        }
        attempt = null;
        if (why != null && !(why instanceof RetryableException)) {
            end(why);
        } else if (polling != null) {
            retryStreamLater();
        } else {
            if (wasLive) {
                failures = 0;
                failedConnects = 0;
            } else if (!(why instanceof ServerUnreachableException)) {
                failedConnects++;
            }
            if (failedConnects >= FAILED_CONNECTS) {
                startPolling();
            } else {
                reconnectLater(why instanceof RetryableException r ? r.retryAfter() : Optional.empty());
            }
        }
    }

    @Override
    public synchronized void silent(StreamAttempt from) {
        if (from != attempt || states.closed()) {
            return;
        }
        attempt = null;
        if (polling != null) {
            retryStreamLater();
        } else {
            startPolling();
        }
    }

    // ---- what polling reports

    @Override
    public synchronized void unreachable(PollingLoop from) {
        if (from != polling || states.closed()) {
            return;
        }
        // the server is away, not the stream blocked: once it is back, the stream resumes exactly
        stopPolling();
        cancelPending();
        if (attempt == null) {
            reconnectLater(Optional.empty());
        } else {
            states.set(State.RECONNECTING);
        }
    }

    @Override
    public synchronized void refused(PollingLoop from, HeraldException why) {
        if (from == polling && !states.closed()) {
            end(why);
        }
    }

    @Override
    public void offer(JobEvent event) {
        serial.execute(() -> {
            if (!states.closed() && versions.admit(event)) {
                listener.accept(event);
            }
        });
    }

    @Override
    public EventQuery query() {
        return query;
    }

    @Override
    public JobVersions versions() {
        return versions;
    }

    // ---- decisions, under the lock

    private void reconnectLater(Optional<Duration> retryAfter) {
        states.set(State.RECONNECTING);
        Duration wait = RECONNECT.delay(failures++, retryAfter);
        pending = threads.timer.schedule(this::connect, wait.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void startPolling() {
        failedConnects = 0;
        states.set(State.POLLING);
        polling = new PollingLoop(this, transport);
        threads.polls.execute(polling);
        retryStreamLater();
    }

    private void retryStreamLater() {
        pending = threads.timer.schedule(this::probe, settings.streamRetry().toNanos(), TimeUnit.NANOSECONDS);
    }

    private synchronized void probe() {
        if (polling != null && attempt == null) {
            connect();
        }
    }

    private void stopPolling() {
        if (polling != null) {
            polling.stop();
            polling = null;
        }
    }

    /** Cancels the wait for the next connect, or for a polling watch's next try of the stream. */
    private void cancelPending() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }

    /** A job deleted from a list is left out of later connects: the server would refuse the whole list. */
    private void forget(String jobId) {
        EventQuery q = query;
        if (q.jobs().size() > 1 && q.jobs().contains(jobId)) {
            query = new EventQuery(q.jobs().stream().filter(id -> !id.equals(jobId)).toList(), false, null,
                    q.types());
        }
    }

    private void end(HeraldException why) {
        error = why;
        close();
    }

    // ---- the user's side

    @Override
    public Job job(String id) {
        return versions.job(Arguments.text(id, "job id"));
    }

    @Override
    public State state() {
        return states.get();
    }

    @Override
    public Watch onState(Consumer<State> listener) {
        states.follow(Arguments.required(listener, "listener"));
        return this;
    }

    @Override
    public Optional<HeraldException> error() {
        return Optional.ofNullable(error);
    }

    @Override
    public void close() {
        synchronized (this) {
            if (states.closed()) {
                return;
            }
            StreamAttempt a = attempt;
            attempt = null;
            if (a != null) {
                a.abandon();
            }
            stopPolling();
            cancelPending();
            states.set(State.CLOSED);
        }
        onClosed.accept(this);
    }
}
