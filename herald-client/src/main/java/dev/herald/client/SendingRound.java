package dev.herald.client;

import dev.herald.client.transport.ProgressEntry;
import dev.herald.client.transport.ProgressOutcome;
import dev.herald.client.transport.RetryableException;
import dev.herald.client.transport.Transport;
import dev.herald.core.command.ProgressReport;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * One pass of the sender: the newest progress of every job that has some (one request, a batch when several
 * jobs do), then each job's waiting writes in order, then the heartbeats that are due. A
 * {@link RetryableException} ends the pass at once: what was not sent stays where it was, in order, for the
 * next pass.
 */
final class SendingRound {
    /** Entries per batch: half the server's default maximum, well within a key's default write burst. */
    static final int BATCH_LIMIT = 500;

    private final Transport transport;

    SendingRound(Transport transport) {
        this.transport = transport;
    }

    void run(List<JobChannel> channels, List<JobChannel> heartbeats) {
        sendProgress(channels);
        for (JobChannel ch : channels) {
            sendWrites(ch);
        }
        for (JobChannel ch : heartbeats) {
            heartbeat(ch);
        }
    }

    /**
     * Each request takes its jobs' states just before it goes, so that the last of a round's batches does not
     * carry states as old as the round trips of the batches before it. A job not reached keeps its state.
     */
    private void sendProgress(List<JobChannel> channels) {
        List<JobChannel> shared = new ArrayList<>();
        for (JobChannel ch : channels) {
            if (ch.via(transport) == transport) {
                shared.add(ch);
            } else {
                // a claimed job's progress sends its lease's token, which a batch cannot
                ProgressReport r = ch.takeProgress();
                if (r != null) {
                    single(ch, r);
                }
            }
        }
        Iterator<JobChannel> rest = shared.iterator();
        while (rest.hasNext()) {
            List<JobChannel> owners = new ArrayList<>();
            List<ProgressEntry> entries = new ArrayList<>();
            while (rest.hasNext() && entries.size() < BATCH_LIMIT) {
                JobChannel ch = rest.next();
                ProgressReport r = ch.takeProgress();
                if (r != null) {
                    owners.add(ch);
                    entries.add(new ProgressEntry(ch.id, r));
                }
            }
            if (entries.size() == 1) {
                single(owners.get(0), entries.get(0).report());
            } else if (!entries.isEmpty()) {
                batch(owners, entries);
            }
        }
    }

    private void single(JobChannel ch, ProgressReport r) {
        try {
            ch.via(transport).progress(ch.id, r);
            ch.progressSent();
        } catch (RetryableException e) {
            ch.progressUnsent(r);
            throw e;
        } catch (HeraldException e) {
            ch.progressRefused(r, e);
        }
    }

    private void batch(List<JobChannel> owners, List<ProgressEntry> entries) {
        List<ProgressOutcome> outcomes;
        try {
            outcomes = transport.progress(entries);
        } catch (RetryableException e) {
            for (int i = 0; i < owners.size(); i++) {
                owners.get(i).progressUnsent(entries.get(i).report());
            }
            throw e;
        }
        for (int i = 0; i < outcomes.size(); i++) {
            if (outcomes.get(i).ok()) {
                owners.get(i).progressSent();
            } else {
                owners.get(i).progressRefused(entries.get(i).report(), outcomes.get(i).error());
            }
        }
    }

    private void sendWrites(JobChannel ch) {
        QueuedWrite w;
        while ((w = ch.nextWrite()) != null) {
            if (ch.owesProgressBefore(w)) {
                // the worker reported progress after this round took the job's state, and then this write
                ProgressReport r = ch.takeProgress();
                if (r == null) {
                    ch.progressSent();
                } else {
                    single(ch, r);
                }
            }
            if (!w.claim()) {
                continue;
            }
            try {
                w.send(ch.via(transport));
            } catch (RetryableException e) {
                w.release();
                throw e;
            } catch (HeraldException e) {
                ch.finished(w);
                refused(ch, w, e);
                continue;
            } catch (RuntimeException e) {
                // not the server's answer but a fault of ours: the write must not stay claimed for ever
                JobChannel.LOG.log(System.Logger.Level.ERROR, "job " + ch.id + ": a write could not be sent", e);
                ch.finished(w);
                w.refused(new HeraldException(ErrorCode.UNAVAILABLE, "the write could not be sent: " + e));
                continue;
            }
            ch.finished(w);
            if (w instanceof QueuedWrite.Call call && call.target != null && call.target.isTerminal()) {
                ch.ended(call.target, true);
            }
        }
    }

    private static void refused(JobChannel ch, QueuedWrite w, HeraldException e) {
        if (w instanceof QueuedWrite.Call call && call.alreadyDone(e)) {
            ch.ended(call.target, true);
            call.answer.complete(null);
        } else if (ch.endedBy(e)) {
            w.abandoned(stopped(ch, e));
        } else {
            w.refused(e);
        }
    }

    private static JobCancelledException stopped(JobChannel ch, HeraldException e) {
        JobCancelledException why = ch.cancellation();
        if (why != null) {
            return why;
        }
        return e.status() != null ? new JobCancelledException(ch.id, e.status()) : new JobCancelledException(ch.id);
    }

    private void heartbeat(JobChannel ch) {
        try {
            ch.via(transport).heartbeat(ch.id);
            ch.contact();
        } catch (RetryableException e) {
            throw e;
        } catch (HeraldException e) {
            if (!ch.endedBy(e)) {
                ch.contact();
                JobChannel.LOG.log(System.Logger.Level.WARNING, "job {0}: the server refused a heartbeat ({1}: {2})",
                        ch.id, e.code().wire(), e.getMessage());
            }
        }
    }
}
