package dev.herald.client;

import dev.herald.client.keys.CreatedKey;
import dev.herald.client.keys.KeyInfo;
import dev.herald.client.keys.Keys;
import dev.herald.client.keys.NewKey;
import dev.herald.client.transport.Page;
import dev.herald.client.transport.Transport;
import dev.herald.core.command.LogEntry;
import dev.herald.core.event.JobEvent;
import dev.herald.core.command.NewJob;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobError;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLevel;
import dev.herald.core.model.LogLine;
import dev.herald.core.model.RawJson;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@link Herald} over any {@link Transport}: direct calls with retries, reporters sharing one sender, and watches
 * sharing one set of threads.
 */
final class ClientHerald implements Herald {
    private static final Duration RETRY_BASE = Duration.ofMillis(250);
    private static final Duration RETRY_CAP = Duration.ofSeconds(8);
    /** The sender starts again soon after a fault, and settles at a few seconds while the server stays away. */
    private static final Duration SENDER_BASE = Duration.ofMillis(100);
    private static final Duration SENDER_CAP = Duration.ofSeconds(5);

    private final Transport transport;
    private final Retrying retrying;
    private final Sender sender;
    private final Duration flushTimeout;
    private volatile boolean closed;

    private final WatchSettings watchSettings;
    private final Set<EventWatch> watches = ConcurrentHashMap.newKeySet();
    private WatchThreads watchThreads;

    ClientHerald(Transport transport, int maxRetries, Duration requestTimeout, Duration progressInterval,
                 Duration heartbeatInterval, WatchSettings watchSettings) {
        this.transport = transport;
        this.watchSettings = watchSettings;
        this.retrying = new Retrying(maxRetries, Backoff.jittered(RETRY_BASE, RETRY_CAP), Retrying.REAL_TIME);
        this.sender = new Sender(transport, progressInterval, heartbeatInterval,
                Backoff.jittered(SENDER_BASE, SENDER_CAP));
        this.flushTimeout = requestTimeout;
    }

    @Override
    public Job create(JobSpec spec) {
        NewJob job = Arguments.required(spec, "spec").toNewJob();
        RawJson input = spec.input();
        return call(() -> transport.create(job, input));
    }

    @Override
    public Job get(String id) {
        String jobId = Arguments.text(id, "job id");
        return call(() -> transport.get(jobId));
    }

    @Override
    public JobList list(JobFilter filter) {
        Page page = call(() -> transport.list(Arguments.required(filter, "filter").query()));
        return new JobList(page.items(), page.nextCursor());
    }

    @Override
    public Job start(String id) {
        return transition(id, JobStatus.RUNNING, transport::start);
    }

    @Override
    public Job complete(String id, Object result) {
        RawJson json = JsonArguments.value(result, "result");
        return transition(id, JobStatus.COMPLETED, jobId -> transport.complete(jobId, json));
    }

    @Override
    public Job fail(String id, String message) {
        return fail(id, null, message);
    }

    @Override
    public Job fail(String id, String code, String message) {
        JobError error = new JobError(code, Arguments.required(message, "message"));
        return transition(id, JobStatus.FAILED, jobId -> transport.fail(jobId, error));
    }

    @Override
    public Job cancel(String id) {
        return transition(id, JobStatus.CANCELLED, transport::cancel);
    }

    @Override
    public Job retry(String id) {
        return transition(id, JobStatus.QUEUED, transport::retry);
    }

    /** A transition tried again after a lost answer, done when the job already has {@code target}. */
    Job transition(String id, JobStatus target, Function<String, Job> change) {
        String jobId = Arguments.text(id, "job id");
        checkOpen();
        return retrying.transition(target, () -> change.apply(jobId), () -> transport.get(jobId));
    }

    @Override
    public void log(String id, LogLevel level, String message) {
        log(id, level, message, null);
    }

    @Override
    public void log(String id, LogLevel level, String message, Object fields) {
        String jobId = Arguments.text(id, "job id");
        LogEntry entry = new LogEntry(Arguments.required(level, "level"), Arguments.required(message, "message"),
                JsonArguments.object(fields, "fields"));
        call(() -> transport.log(jobId, entry));
    }

    @Override
    public List<LogLine> logs(String id, long afterSeq, int limit) {
        String jobId = Arguments.text(id, "job id");
        if (afterSeq < 0 || limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("afterSeq must not be negative and limit must be between 1 and 1000"
                    + " (got " + afterSeq + ", " + limit + ")");
        }
        return call(() -> transport.logs(jobId, afterSeq, limit));
    }

    @Override
    public Reporter reporter(String id) {
        return reporterOf(get(id));
    }

    @Override
    public Reporter start(JobSpec spec) {
        return reporterOf(create(Arguments.required(spec, "spec").status(JobStatus.RUNNING)));
    }

    Reporter reporterOf(Job job) {
        JobChannel ch = new JobChannel(job, sender);
        sender.register(ch);
        return new JobReporter(ch, this);
    }

    /** A claimed job's channel: its writes send the lease's token, and its heartbeat renews the lease. */
    JobChannel claimed(Job job, Duration renewal) {
        JobChannel ch = new LeasedChannel(job, sender, transport.leased(job.lease().token()), renewal);
        sender.register(ch);
        return ch;
    }

    Transport transport() {
        return transport;
    }

    @Override
    public Watch watch(String jobId, Consumer<JobEvent> listener) {
        return watch(WatchRequest.job(jobId), listener);
    }

    @Override
    public Watch watch(WatchRequest request, Consumer<JobEvent> listener) {
        Arguments.required(request, "request");
        Arguments.required(listener, "listener");
        EventWatch w = new EventWatch(transport, watchThreads(), request.query(), listener, watchSettings,
                watches::remove);
        watches.add(w);
        w.start();
        return w;
    }

    @Override
    public Job awaitFinished(String id, Duration timeout) throws TimeoutException {
        return FinishedJobs.awaitFinished(this, Arguments.text(id, "job id"), timeout);
    }

    @Override
    public CompletableFuture<Job> whenFinished(String id) {
        return FinishedJobs.whenFinished(this, Arguments.text(id, "job id"));
    }

    /** Only the listing is tried again: a create or a revoke after a lost answer could make two keys or an error. */
    @Override
    public Keys keys() {
        checkOpen();
        Keys keys = transport.keys();
        return new Keys() {
            @Override
            public CreatedKey create(NewKey key) {
                Arguments.required(key, "key");
                checkOpen();
                return keys.create(key);
            }

            @Override
            public List<KeyInfo> list() {
                return call(keys::list);
            }

            @Override
            public void revoke(String id) {
                String keyId = Arguments.text(id, "key id");
                checkOpen();
                keys.revoke(keyId);
            }
        };
    }

    /** The watches' threads, started with the first watch. */
    private synchronized WatchThreads watchThreads() {
        checkOpen();
        if (watchThreads == null) {
            watchThreads = new WatchThreads();
        }
        return watchThreads;
    }

    /** A call tried again while it fails in a way that may pass. */
    <T> T call(Supplier<T> call) {
        checkOpen();
        return retrying.call(call);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the Herald client is closed");
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        sender.close(flushTimeout);
        List.copyOf(watches).forEach(Watch::close);
        if (watchThreads != null) {
            watchThreads.close();
        }
        transport.close();
    }
}
