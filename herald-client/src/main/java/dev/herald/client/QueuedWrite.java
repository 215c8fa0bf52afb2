package dev.herald.client;

import dev.herald.client.transport.Transport;
import dev.herald.core.command.LogEntry;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLevel;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A write that keeps its place in its job's order: a log line, a child's creation or a transition. It goes out
 * only after the progress the worker reported before it ({@link #changesBefore}).
 */
abstract sealed class QueuedWrite permits QueuedWrite.Line, QueuedWrite.Call {
    private static final int WAITING = 0;
    private static final int SENDING = 1;
    private static final int DONE = 2;

    /** Reads and writes of the state race only between the sender and the line budget, hence a CAS. */
    private final AtomicInteger state = new AtomicInteger(WAITING);
    long changesBefore;
    /** Sent before without an answer: the server may already have it. */
    boolean retried;

    /** Claims the write for sending; false when it was dropped meanwhile. */
    boolean claim() {
        return state.compareAndSet(WAITING, SENDING);
    }

    /** Sent without an answer: it waits again, and may be dropped while it does. */
    void release() {
        retried = true;
        state.set(WAITING);
    }

    /** Takes a waiting write out of line; false when it is being sent or done. */
    boolean drop() {
        return state.compareAndSet(WAITING, DONE);
    }

    boolean isDone() {
        return state.get() == DONE;
    }

    void done() {
        state.set(DONE);
    }

    abstract void send(Transport transport);

    /** The server refused it for good. */
    abstract void refused(HeraldException e);

    /** It will never be sent: its job ended elsewhere, or the client closed ({@code why}). */
    abstract void abandoned(HeraldException why);

    /** A log line: nobody waits for it. */
    static final class Line extends QueuedWrite {
        final JobChannel owner;
        final LogEntry entry;

        Line(JobChannel owner, LogEntry entry) {
            this.owner = owner;
            this.entry = entry;
        }

        /** Debug and info lines are the first to go when too many wait. */
        boolean isDroppable() {
            return entry.level() == LogLevel.DEBUG || entry.level() == LogLevel.INFO;
        }

        @Override
        void send(Transport transport) {
            transport.log(owner.id, entry);
        }

        @Override
        void refused(HeraldException e) {
            JobChannel.LOG.log(System.Logger.Level.WARNING, "job {0}: the server refused a log line ({1}: {2})",
                    owner.id, e.code().wire(), e.getMessage());
        }

        @Override
        void abandoned(HeraldException why) {
            // nobody waits for a line, and the worker learns of the end through the reporter
        }
    }

    /** A call the worker waits for: a transition ({@code target} set) or a child's creation. */
    static final class Call extends QueuedWrite {
        private final Function<Transport, Job> action;
        final JobStatus target;
        final CompletableFuture<Job> answer = new CompletableFuture<>();

        Call(JobStatus target, Function<Transport, Job> action) {
            this.target = target;
            this.action = action;
        }

        @Override
        void send(Transport transport) {
            answer.complete(action.apply(transport));
        }

        /**
         * A transition sent again after a lost answer finds the job already at its target: the first attempt
         * got through (a retry never turns success into an error).
         */
        boolean alreadyDone(HeraldException e) {
            return retried && target != null && e.status() == target;
        }

        @Override
        void refused(HeraldException e) {
            answer.completeExceptionally(e);
        }

        @Override
        void abandoned(HeraldException why) {
            answer.completeExceptionally(why);
        }
    }
}
