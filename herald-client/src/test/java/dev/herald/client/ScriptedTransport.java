package dev.herald.client;

import dev.herald.client.keys.Keys;
import dev.herald.client.transport.EventQuery;
import dev.herald.client.transport.EventSink;
import dev.herald.client.transport.EventStream;
import dev.herald.client.transport.ListQuery;
import dev.herald.client.transport.Page;
import dev.herald.client.transport.ProgressEntry;
import dev.herald.client.transport.ProgressOutcome;
import dev.herald.client.transport.RetryableException;
import dev.herald.client.transport.Transport;
import dev.herald.core.command.LogEntry;
import dev.herald.core.command.NewJob;
import dev.herald.core.command.ProgressReport;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobError;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLine;
import dev.herald.core.model.RawJson;
import dev.herald.core.model.Stage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A transport that records every call as a line ({@code progress j_1 5.0}, {@code log j_1 text},
 * {@code complete j_1}) and answers as the test scripts it: down (no answer), a job ended elsewhere
 * ({@code job_finished}), a hook run before each progress call or batch.
 */
final class ScriptedTransport implements Transport {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final Map<String, JobStatus> ended = new ConcurrentHashMap<>();
    volatile boolean down;
    /** Calls that found the transport down. */
    final AtomicInteger unanswered = new AtomicInteger();
    volatile Consumer<String> beforeProgress = id -> { };
    /** Run before each batch of progress is answered. */
    volatile Runnable beforeBatch = () -> { };
    /** Thrown by the next log call: a fault of the client's own, not an answer. */
    volatile RuntimeException logFault;
    /** Answers lost after the change was made, for this many transition calls. */
    final AtomicInteger lostTransitionAnswers = new AtomicInteger();
    private final Map<String, List<Stage>> stages = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    /** A running job this transport knows, with these stages. */
    String job(Stage... jobStages) {
        String id = "j_" + ids.incrementAndGet();
        stages.put(id, List.of(jobStages));
        return id;
    }

    List<String> callsOf(String prefix) {
        return calls.stream().filter(c -> c.startsWith(prefix)).toList();
    }

    private void reachable() {
        if (down) {
            unanswered.incrementAndGet();
            throw new RetryableException(ErrorCode.UNAVAILABLE, "cannot reach the server: connection refused", null);
        }
    }

    private void writable(String id) {
        reachable();
        JobStatus status = ended.get(id);
        if (status != null) {
            throw HeraldException.finished(status);
        }
    }

    private Job state(String id, JobStatus status) {
        return new Job.Builder().id(id).type("test").status(status).stages(stages.getOrDefault(id, List.of())).build();
    }

    @Override
    public Job create(NewJob job, RawJson input) {
        if (job.parentId() != null) {
            writable(job.parentId());
        }
        String id = job();
        calls.add("create " + id + " under " + job.parentId());
        return state(id, job.status());
    }

    @Override
    public Job get(String id) {
        reachable();
        return state(id, ended.getOrDefault(id, JobStatus.RUNNING));
    }

    @Override
    public Page list(ListQuery query) {
        reachable();
        return new Page(List.of(), null);
    }

    @Override
    public Job start(String id) {
        return transition(id, JobStatus.RUNNING, "start");
    }

    @Override
    public Job complete(String id, RawJson result) {
        return transition(id, JobStatus.COMPLETED, "complete");
    }

    @Override
    public Job fail(String id, JobError error) {
        return transition(id, JobStatus.FAILED, "fail " + error.message());
    }

    @Override
    public Job cancel(String id) {
        return transition(id, JobStatus.CANCELLED, "cancel");
    }

    @Override
    public Job retry(String id, java.time.Duration delay) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Job claim(dev.herald.core.command.ClaimRequest request) {
        throw new UnsupportedOperationException();
    }

    @Override
    public RawJson input(String id) {
        throw new UnsupportedOperationException();
    }

    @Override
    public dev.herald.client.transport.Transport leased(String leaseToken) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Job retry(String id) {
        return transition(id, JobStatus.QUEUED, "retry");
    }

    private Job transition(String id, JobStatus to, String name) {
        writable(id);
        calls.add(name + " " + id);
        if (to.isTerminal()) {
            ended.put(id, to);
        }
        if (lostTransitionAnswers.getAndDecrement() > 0) {
            throw new RetryableException(ErrorCode.UNAVAILABLE, "cannot reach the server: no answer in time", null);
        }
        return state(id, to);
    }

    @Override
    public long log(String id, LogEntry entry) {
        writable(id);
        RuntimeException fault = logFault;
        if (fault != null) {
            logFault = null;
            throw fault;
        }
        calls.add("log " + id + " " + entry.message());
        return calls.size();
    }

    @Override
    public List<LogLine> logs(String id, long afterSeq, int limit) {
        reachable();
        return List.of();
    }

    @Override
    public long progress(String id, ProgressReport report) {
        beforeProgress.accept(id);
        writable(id);
        calls.add("progress " + id + " " + report.current());
        return calls.size();
    }

    @Override
    public List<ProgressOutcome> progress(List<ProgressEntry> entries) {
        beforeBatch.run();
        reachable();
        calls.add("batch " + entries.size());
        List<ProgressOutcome> outcomes = new ArrayList<>();
        for (ProgressEntry e : entries) {
            JobStatus status = ended.get(e.jobId());
            if (status != null) {
                outcomes.add(ProgressOutcome.refused(e.jobId(), HeraldException.finished(status)));
            } else {
                calls.add("progress " + e.jobId() + " " + e.report().current());
                outcomes.add(ProgressOutcome.accepted(e.jobId(), calls.size()));
            }
        }
        return outcomes;
    }

    @Override
    public void heartbeat(String id) {
        writable(id);
        calls.add("heartbeat " + id);
    }

    @Override
    public Job awaitChange(String id, long afterVersion, Duration wait) {
        throw new UnsupportedOperationException("the reporter's tests do not watch");
    }

    @Override
    public EventStream events(EventQuery query, String cursor, EventSink sink) {
        throw new UnsupportedOperationException("the reporter's tests do not watch");
    }

    @Override
    public Keys keys() {
        throw new UnsupportedOperationException("the reporter's tests do not manage keys");
    }

    @Override
    public void close() {
        calls.add("close");
    }
}
