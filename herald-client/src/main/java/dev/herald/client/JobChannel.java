package dev.herald.client;

import dev.herald.client.transport.Transport;
import dev.herald.core.command.LogEntry;
import dev.herald.core.command.ProgressReport;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What one reporter has for the server, between the worker's threads and the client's sender: the newest
 * progress, the writes that keep their order, and how the job ended. The worker's calls only change this state;
 * the {@link Sender} sends it.
 */
class JobChannel {
    static final System.Logger LOG = System.getLogger("dev.herald.client");

    /** How a lost lease ends a channel: the job goes on (running elsewhere, or queued again), not with us. */
    private static final JobStatus LOST = JobStatus.RUNNING;

    final String id;
    private final Sender sender;

    private final ProgressState progress;
    private final ArrayDeque<QueuedWrite> writes = new ArrayDeque<>();
    private final List<Runnable> cancelCallbacks = new ArrayList<>();
    final AtomicLong droppedLines = new AtomicLong();
    /** Progress changes made so far, and how many of them the server has: a write waits for those before it. */
    private long changes;
    private long changesTaken;
    private long changesSent;
    /** Waiting in the sender's queue. */
    private boolean scheduled;
    private boolean closed;
    private JobStatus ended;
    private volatile JobStatus cancelledAs;
    private volatile long lastContactNanos = System.nanoTime();

    JobChannel(Job job, Sender sender) {
        this.id = job.id();
        this.sender = sender;
        this.progress = new ProgressState(job.stages(), job.progress());
        if (job.status().isTerminal()) {
            ended = job.status();
            cancelledAs = job.status();
        }
    }

    // ---- the worker's side: never waits for the network

    synchronized void change(Consumer<ProgressState> change) {
        checkOpen();
        if (ended == null) {
            change.accept(progress);
            changes++;
            schedule(false);
        }
    }

    void log(LogEntry entry) {
        QueuedWrite.Line line = new QueuedWrite.Line(this, entry);
        QueuedWrite.Line dropped;
        synchronized (this) {
            checkOpen();
            if (ended != null) {
                return;
            }
            enqueue(line, false);
            dropped = sender.lines().admit(line);
        }
        if (dropped != null) {
            dropped.owner.droppedLines.incrementAndGet();
        }
    }

    /** A transition ({@code target} set) or a child's creation, answered once the server has it. */
    synchronized CompletableFuture<Job> call(JobStatus target, Function<Transport, Job> action) {
        checkOpen();
        QueuedWrite.Call call = new QueuedWrite.Call(target, action);
        if (ended != null) {
            call.abandoned(stopped(ended));
        } else {
            enqueue(call, true);
        }
        return call.answer;
    }

    private void enqueue(QueuedWrite w, boolean urgent) {
        w.changesBefore = changes;
        writes.add(w);
        schedule(urgent);
    }

    private void schedule(boolean urgent) {
        if (!scheduled) {
            scheduled = true;
            sender.ready(this, urgent);
        } else if (urgent) {
            sender.wake();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the reporter of job " + id + " is closed");
        }
        if (sender.isClosed()) {
            throw new IllegalStateException("the Herald client of this reporter is closed");
        }
    }

    boolean isCancelled() {
        return cancelledAs != null;
    }

    /** Why the worker should stop, or null while it goes on. */
    JobCancelledException cancellation() {
        JobStatus status = cancelledAs;
        return status == null ? null : stopped(status);
    }

    private JobCancelledException stopped(JobStatus status) {
        return status == LOST ? new JobCancelledException(id) : new JobCancelledException(id, status);
    }

    /** The transport this job's writes go through: the client's, or a claimed job's leased one. */
    Transport via(Transport shared) {
        return shared;
    }

    void onCancel(Runnable callback) {
        synchronized (this) {
            if (cancelledAs == null) {
                cancelCallbacks.add(callback);
                return;
            }
        }
        callback.run();
    }

    synchronized void close() {
        closed = true;
    }

    // ---- the sender's side

    synchronized ProgressReport takeProgress() {
        ProgressReport r = ended == null ? progress.take() : null;
        if (r != null) {
            changesTaken = changes;
        }
        return r;
    }

    synchronized void progressSent() {
        changesSent = changesTaken;
        lastContactNanos = System.nanoTime();
    }

    /** Not sent: it goes with the next round, with whatever is newer by then. */
    synchronized void progressUnsent(ProgressReport r) {
        if (ended == null) {
            progress.untake(r);
        }
    }

    /**
     * Refused for good. When the server named the field at fault, the rest of the report goes again; else it is
     * dropped, and the writes behind it no longer wait for it. Either way the refusal is logged.
     */
    void progressRefused(ProgressReport r, HeraldException e) {
        if (endedBy(e)) {
            return;
        }
        boolean rest;
        synchronized (this) {
            rest = ended == null && e.field() != null && progress.untakeAllBut(r, e.field());
            if (!rest) {
                changesSent = changesTaken;
            }
        }
        LOG.log(System.Logger.Level.WARNING, "job {0}: the server refused a progress report ({1}: {2}){3}", id,
                e.code().wire(), e.getMessage(), rest ? "; the rest of it is sent again" : "");
    }

    /** The oldest write still to send, or null. */
    synchronized QueuedWrite nextWrite() {
        while (!writes.isEmpty() && writes.peek().isDone()) {
            writes.poll();
        }
        return writes.peek();
    }

    synchronized boolean owesProgressBefore(QueuedWrite w) {
        return w.changesBefore > changesSent;
    }

    /** The head write was answered (or refused for good): the next one may go. */
    void finished(QueuedWrite w) {
        synchronized (this) {
            writes.remove(w);
            lastContactNanos = System.nanoTime();
        }
        w.done();
        if (w instanceof QueuedWrite.Line) {
            sender.lines().release();
        }
    }

    void contact() {
        lastContactNanos = System.nanoTime();
    }

    /** A {@code job_finished} answer ends the job for this reporter: true when {@code e} was one. */
    boolean endedBy(HeraldException e) {
        if (e.code() != ErrorCode.JOB_FINISHED || e.status() == null) {
            return false;
        }
        ended(e.status(), false);
        return true;
    }

    /** The job is no longer this worker's (lost, or given back): its writes stop as after a cancel. */
    void leaseLost() {
        ended(LOST, false);
    }

    /** The job ended, by this reporter or elsewhere: what waits is dropped, and a cancel is told once. */
    void ended(JobStatus status, boolean byThisReporter) {
        List<Runnable> callbacks = List.of();
        synchronized (this) {
            if (ended != null) {
                return;
            }
            ended = status;
            if (!byThisReporter) {
                cancelledAs = status;
                callbacks = new ArrayList<>(cancelCallbacks);
                cancelCallbacks.clear();
            }
        }
        abandonWrites(stopped(status));
        sender.runCallbacks(callbacks);
    }

    /** Drops every waiting write, telling those who wait for one why. */
    void abandonWrites(HeraldException why) {
        List<QueuedWrite> left;
        synchronized (this) {
            left = new ArrayList<>(writes);
            writes.clear();
        }
        for (QueuedWrite w : left) {
            if (w.drop()) {
                if (w instanceof QueuedWrite.Line) {
                    sender.lines().release();
                }
                w.abandoned(why);
            }
        }
    }

    /** Nothing waits or is on its way: a transition may go from the worker's thread. */
    synchronized boolean isIdle() {
        return !hasWork() && changesSent == changes && ended == null;
    }

    synchronized boolean hasWork() {
        return ended == null && (progress.hasChanges() || !writes.isEmpty());
    }

    /** After a round: back in the sender's queue while something is left, else out until the next change. */
    synchronized void reschedule() {
        if (hasWork()) {
            sender.ready(this, false);
        } else {
            scheduled = false;
        }
    }

    synchronized boolean heartbeatDue(long nowNanos, long intervalNanos) {
        return !closed && ended == null && nowNanos - lastContactNanos >= intervalNanos;
    }

    /** Closed or ended, with nothing left to send: the sender forgets it. */
    synchronized boolean isRetired() {
        return (closed || ended != null) && !hasWork();
    }
}
