package dev.herald.client;

import dev.herald.client.transport.EventSink;
import dev.herald.client.transport.EventStream;
import dev.herald.core.event.JobEvent;
import dev.herald.core.model.HeraldException;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One connection of a watch, from open to end: it tells the watch when the stream first speaks (the server
 * opens every stream with a line at once, events or not), passes events on, and gives up on a stream that stays
 * silent longer than the limit (a proxy holding the bytes back looks exactly like that). The watch learns of
 * each outcome once, and only of its current attempt: a late call of an abandoned one is ignored there.
 */
final class StreamAttempt implements EventSink {
    /** What the watch hears from an attempt. */
    interface Outcome {
        /** The stream spoke for the first time: it gets through. */
        void live(StreamAttempt from);

        void event(StreamAttempt from, JobEvent event, String cursor);

        void ended(StreamAttempt from, HeraldException error, boolean wasLive);

        void silent(StreamAttempt from);
    }

    private final Outcome outcome;
    private final ScheduledExecutorService timer;
    private final long silenceNanos;
    private volatile long lastSignNanos = System.nanoTime();
    private volatile boolean wasLive;
    private volatile boolean over;
    private volatile EventStream stream;
    private ScheduledFuture<?> check;

    StreamAttempt(Outcome outcome, ScheduledExecutorService timer, long silenceNanos) {
        this.outcome = outcome;
        this.timer = timer;
        this.silenceNanos = silenceNanos;
    }

    void opened(EventStream s) {
        stream = s;
        if (over) {
            s.close();
        } else {
            scheduleCheck(silenceNanos);
        }
    }

    @Override
    public void event(JobEvent event, String cursor) {
        alive();
        if (!over) {
            outcome.event(this, event, cursor);
        }
    }

    @Override
    public void alive() {
        lastSignNanos = System.nanoTime();
        if (!wasLive && !over) {
            wasLive = true;
            outcome.live(this);
        }
    }

    @Override
    public void closed(HeraldException error) {
        if (finish()) {
            outcome.ended(this, error, wasLive);
        }
    }

    /** Ends the attempt without telling the watch. */
    void abandon() {
        if (finish()) {
            EventStream s = stream;
            if (s != null) {
                s.close();
            }
        }
    }

    private synchronized boolean finish() {
        if (over) {
            return false;
        }
        over = true;
        if (check != null) {
            check.cancel(false);
        }
        return true;
    }

    private synchronized void scheduleCheck(long delayNanos) {
        if (!over) {
            check = timer.schedule(this::checkSilence, delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void checkSilence() {
        long quiet = System.nanoTime() - lastSignNanos;
        if (quiet < silenceNanos) {
            scheduleCheck(silenceNanos - quiet);
            return;
        }
        if (finish()) {
            EventStream s = stream;
            if (s != null) {
                s.close();
            }
            outcome.silent(this);
        }
    }
}
