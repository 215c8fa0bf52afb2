package dev.herald.server.local;

import dev.herald.client.keys.Keys;
import dev.herald.client.transport.Completed;
import dev.herald.client.transport.EventQuery;
import dev.herald.client.transport.EventSink;
import dev.herald.client.transport.EventStream;
import dev.herald.client.transport.ListQuery;
import dev.herald.client.transport.Page;
import dev.herald.client.transport.ProgressEntry;
import dev.herald.client.transport.ProgressOutcome;
import dev.herald.client.transport.RequestBodies;
import dev.herald.client.transport.RetryableException;
import dev.herald.client.transport.Transport;
import dev.herald.core.command.ClaimRequest;
import dev.herald.core.command.LogEntry;
import dev.herald.core.command.NewJob;
import dev.herald.core.command.ProgressReport;
import dev.herald.core.engine.IdGenerator;
import dev.herald.core.engine.JobEngine;
import dev.herald.core.engine.LeasedWrites;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobError;
import dev.herald.core.model.LogLine;
import dev.herald.core.model.RawJson;
import dev.herald.server.auth.Access;
import dev.herald.server.auth.Principal;
import dev.herald.server.edge.ApiErrors;
import dev.herald.server.edge.ApiParam;
import dev.herald.server.edge.BodyReader;
import dev.herald.server.edge.Limits;
import dev.herald.server.edge.QueryParams;
import dev.herald.server.rest.BatchEntry;
import dev.herald.server.rest.ClaimBodies;
import dev.herald.server.rest.ClaimRoutes;
import dev.herald.server.rest.JobBodies;
import dev.herald.server.rest.JobRoutes;
import dev.herald.server.rest.KeyRoutes;
import dev.herald.server.rest.ProgressBodies;
import dev.herald.server.rest.ProgressRoutes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The API straight into the engine of a server in this JVM, as the operator: no HTTP, no sockets. Each call goes
 * the way its route goes: the body the remote client would send is read by the route's own body rules, then
 * the same access checks and engine calls, so a call is refused with the same code as over REST. Closing it
 * ends its streams, never the server.
 */
public final class LocalTransport implements Transport {
    private static final Principal OPERATOR = Principal.operator();
    /** What REST sends with a 429 or 503: the client waits at least this long before trying again. */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final JobEngine engine;
    private final Access access;
    private final JobRoutes jobs;
    private final ProgressRoutes progress;
    private final KeyRoutes keys;
    private final BodyReader bodies;
    private final Limits limits;
    private final LocalStreams streams;
    private final ClaimRoutes claims;
    /** The worker's {@code Lease-Token} its writes send (API §9), or null. */
    private final String leaseToken;
    private final AtomicBoolean closed;

    public LocalTransport(JobEngine engine, Access access, JobRoutes jobs, ProgressRoutes progress, KeyRoutes keys,
                          ClaimRoutes claims, BodyReader bodies, Limits limits, LocalStreams streams) {
        this(engine, access, jobs, progress, keys, claims, bodies, limits, streams, null, new AtomicBoolean());
    }

    private LocalTransport(JobEngine engine, Access access, JobRoutes jobs, ProgressRoutes progress, KeyRoutes keys,
                           ClaimRoutes claims, BodyReader bodies, Limits limits, LocalStreams streams,
                           String leaseToken, AtomicBoolean closed) {
        this.engine = engine;
        this.access = access;
        this.jobs = jobs;
        this.progress = progress;
        this.keys = keys;
        this.claims = claims;
        this.bodies = bodies;
        this.limits = limits;
        this.streams = streams;
        this.leaseToken = leaseToken;
        this.closed = closed;
    }

    @Override
    public Job create(NewJob job, RawJson input) {
        return call(() -> {
            NewJob req = bodies.read(RequestBodies.create(job, input), JobBodies.CREATE);
            String key = JobRoutes.idempotencyKey(limits,
                    job.idempotencyKey() == null ? List.of() : List.of(job.idempotencyKey()));
            return jobs.create(OPERATOR, req, key).thenApply(JobEngine.Created::job);
        });
    }

    @Override
    public Job get(String id) {
        return reading(id, () -> null, (j, none) -> engine.settled(id));
    }

    @Override
    public Page list(ListQuery q) {
        return call(() -> jobs.list(OPERATOR, QueryParams.of(q.params())).thenApply(page -> new Page(page.items(),
                page.next() == null ? null : page.next().encode())));
    }

    @Override
    public Job start(String id) {
        return changing(id, () -> null, (allowed, none) -> writes().start(id));
    }

    @Override
    public Job complete(String id, RawJson result) {
        return complete(id, result, null).job();
    }

    @Override
    public Completed complete(String id, RawJson result, ClaimRequest next) {
        return changing(id, () -> bodies.read(RequestBodies.complete(result, next), JobBodies.COMPLETE),
                (allowed, body) -> claims.completeAllowed(OPERATOR, leaseToken, id, body)
                        .thenApply(c -> new Completed(c.job(), c.next())));
    }

    @Override
    public Job fail(String id, JobError error) {
        return changing(id, () -> bodies.read(RequestBodies.fail(error), JobBodies.FAIL),
                (allowed, e) -> writes().fail(id, e));
    }

    @Override
    public Job cancel(String id) {
        return changing(id, () -> null, (allowed, none) -> writes().cancel(id));
    }

    @Override
    public Job retry(String id, Duration delay) {
        return changing(id, () -> bodies.read(RequestBodies.retry(delay), ClaimBodies.RETRY),
                (allowed, delayMs) -> writes().retry(id, delayMs == null ? 0 : delayMs));
    }

    @Override
    public Job claim(ClaimRequest request) {
        return claimAll(request).stream().findFirst().orElse(null);
    }

    @Override
    public List<Job> claimAll(ClaimRequest request) {
        return call(() -> claims.claim(OPERATOR, bodies.read(RequestBodies.claim(request), ClaimBodies.CLAIM)));
    }

    @Override
    public RawJson input(String id) {
        return reading(id, () -> null, (j, none) -> engine.input(id).thenApply(input -> input.orElse(null)));
    }

    /** Shares this client's streams and its closing. */
    @Override
    public Transport leased(String token) {
        return new LocalTransport(engine, access, jobs, progress, keys, claims, bodies, limits, streams, token,
                closed);
    }

    private LeasedWrites writes() {
        return engine.leased(leaseToken);
    }

    @Override
    public long log(String id, LogEntry entry) {
        return changing(id, () -> bodies.read(RequestBodies.log(entry), ProgressBodies.LOG),
                (allowed, e) -> writes().log(id, e)).seq();
    }

    @Override
    public List<LogLine> logs(String id, long afterSeq, int limit) {
        return reading(id, () -> QueryParams.of(Map.of("after", afterSeq, "limit", limit)),
                (j, q) -> engine.logs(id, q.number(ApiParam.LOG_AFTER), (int) q.number(ApiParam.LOG_LIMIT)));
    }

    @Override
    public long progress(String id, ProgressReport report) {
        return changing(id, () -> bodies.read(RequestBodies.progress(report), ProgressBodies.PROGRESS),
                (allowed, r) -> progress.apply(id, r, leaseToken));
    }

    @Override
    public List<ProgressOutcome> progress(List<ProgressEntry> entries) {
        return call(() -> {
            List<BatchEntry> read = bodies.read(RequestBodies.batch(entries), ProgressBodies.BATCH);
            List<CompletableFuture<Object>> outcomes = new ArrayList<>(read.size());
            for (BatchEntry e : read) {
                outcomes.add(progress.outcome(OPERATOR, e));
            }
            return CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).thenApply(v -> {
                List<ProgressOutcome> answers = new ArrayList<>(outcomes.size());
                for (int i = 0; i < outcomes.size(); i++) {
                    String jobId = entries.get(i).jobId();
                    answers.add(outcomes.get(i).join() instanceof Long version
                            ? ProgressOutcome.accepted(jobId, version)
                            : ProgressOutcome.refused(jobId, (HeraldException) outcomes.get(i).join()));
                }
                return answers;
            });
        });
    }

    @Override
    public void heartbeat(String id) {
        changing(id, () -> null, (allowed, none) -> writes().heartbeat(id));
    }

    @Override
    public Job awaitChange(String id, long afterVersion, Duration wait) {
        if (wait.isZero()) {
            return get(id);
        }
        return reading(id, () -> QueryParams.of(Map.of("waitForVersion", afterVersion, "timeoutMs", wait.toMillis())),
                (j, q) -> streams.awaitChange(id, q.number(ApiParam.WAIT_FOR_VERSION), q.number(ApiParam.TIMEOUT_MS))
                        .thenCompose(v -> engine.settled(id)));
    }

    @Override
    public EventStream events(EventQuery query, String cursor, EventSink sink) {
        checkOpen();
        return streams.open(query, cursor, sink, OPERATOR);
    }

    @Override
    public Keys keys() {
        checkOpen();
        return new LocalKeys(this, keys, bodies, OPERATOR);
    }

    /** Ends this client's streams; the server goes on. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            streams.close();
        }
    }

    /** A call on a job, in its route's order: the id, then the body (or parameters), then the job's access. */
    private <B, T> T changing(String id, Supplier<B> body, BiFunction<Void, B, CompletableFuture<T>> action) {
        return onJob(id, body, access::write, action);
    }

    private <B, T> T reading(String id, Supplier<B> body, BiFunction<Job, B, CompletableFuture<T>> action) {
        return onJob(id, body, access::read, action);
    }

    private <A, B, T> T onJob(String id, Supplier<B> body, BiFunction<Principal, String, CompletableFuture<A>> allowed,
                              BiFunction<A, B, CompletableFuture<T>> action) {
        return call(() -> {
            if (!IdGenerator.looksLikeJobId(id)) {
                throw HeraldException.notFound();
            }
            B read = body.get();
            return allowed.apply(OPERATOR, id).thenCompose(job -> action.apply(job, read));
        });
    }

    interface Call<T> {
        CompletableFuture<T> start();
    }

    /** Runs the call and waits for it; a refusal is thrown as REST's client would throw it. */
    <T> T call(Call<T> call) {
        checkOpen();
        try {
            return call.start().join();
        } catch (RuntimeException e) {
            HeraldException refusal = ApiErrors.refusal(e);
            int status = refusal.code().httpStatus();
            if (status == 408 || status == 429 || status >= 500) {
                throw new RetryableException(refusal.code(), refusal.getMessage(), RETRY_AFTER);
            }
            throw refusal;
        }
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("this in-process client is closed");
        }
    }
}
