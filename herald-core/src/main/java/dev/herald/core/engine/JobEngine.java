package dev.herald.core.engine;

import dev.herald.core.command.LogEntry;
import dev.herald.core.command.NewJob;
import dev.herald.core.command.ProgressReport;
import dev.herald.core.event.JobEvent;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobError;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLine;
import dev.herald.core.model.Progress;
import dev.herald.core.model.RawJson;
import dev.herald.core.port.EventBus;
import dev.herald.core.port.JobPage;
import dev.herald.core.port.JobQuery;
import dev.herald.core.port.JobStore;
import dev.herald.core.port.WriteBatch;
import dev.herald.core.rules.Transitions;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Herald's engine: every command on jobs, with the rules applied, changes made
 * durable or written behind as the rules say, and events published in version
 * order. Methods never block the caller on I/O: a job not in memory is loaded on a
 * read thread and the answer completes later.
 */
public final class JobEngine implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(JobEngine.class.getName());
    /** Events before a start whose jobs' parents are counted again: a summary lags by far fewer (a tick, a flush). */
    private static final int REPAIR_EVENTS = 10_000;

    /** A created job, or the one an earlier request with the same idempotency key created. */
    public record Created(Job job, boolean isNew) {
    }

    private final JobStore store;
    private final EventBus bus;
    private final EngineOptions options;
    /** The options' clock read to the millisecond, as timestamps are stored; every reading of time goes here. */
    private final Clock clock;
    private final JobCache cache;
    private final ConcurrentHashMap<String, CompletableFuture<Created>> creating = new ConcurrentHashMap<>();
    private final ExecutorService reads;
    private final ScheduledExecutorService maintenance;
    private final EventPublisher publisher;
    private final WriteQueue writes;
    private final StoreWriter writer;
    private final ChildrenAggregator children;
    private final Cascade cascade;
    private final Retention retention;

    private JobEngine(JobStore store, EventBus bus, EngineOptions options) {
        this.store = store;
        this.bus = bus;
        this.options = options;
        this.clock = Clock.tick(options.clock(), Duration.ofMillis(1));
        this.cache = new JobCache(store, clock);
        this.reads = Executors.newFixedThreadPool(options.readThreads(), daemon("herald-store-read"));
        this.maintenance = Executors.newSingleThreadScheduledExecutor(daemon("herald-maintenance"));
        this.publisher = new EventPublisher(bus, store.lastPosition());
        this.writes = new WriteQueue(publisher);
        this.writer = new StoreWriter(store, writes, publisher, options.flushInterval(), options.flushTimer(),
                cache::forget);
        this.children = new ChildrenAggregator(cache, writes, clock);
        this.cascade = new Cascade(cache, writes);
        this.retention = new Retention(store, cache, writes, children::deleted, clock, options.retention());
        long sweep = options.retentionSweep().toMillis();
        maintenance.scheduleWithFixedDelay(this::maintain, sweep, sweep, TimeUnit.MILLISECONDS);
        maintenance.scheduleWithFixedDelay(children::tick, ChildrenAggregator.TICK_MS, ChildrenAggregator.TICK_MS,
                TimeUnit.MILLISECONDS);
        maintenance.execute(this::repairSummaries);
    }

    /**
     * Summaries are written behind, so a crash (or a stop) can leave some a moment behind their children: the
     * parents, and their ancestors, of the jobs with the newest events are counted again.
     */
    private void repairSummaries() {
        try {
            long after = Math.max(0, store.lastPosition() - REPAIR_EVENTS);
            for (String parentId : store.parentsOfJobsWithEventsAfter(after)) {
                children.recount(parentId);
                store.find(parentId).ifPresent(p -> cache.ancestorsOf(p).forEach(children::recount));
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "children summaries could not be checked after the start", e);
        }
    }

    public static JobEngine start(JobStore store, EventBus bus, EngineOptions options) {
        return new JobEngine(store, bus, options);
    }

    public String epoch() {
        return store.epoch();
    }

    /** The stream position a new reader starts from: every retained event up to it has been published. */
    public long position() {
        return publisher.position();
    }

    public AutoCloseable subscribe(Consumer<JobEvent> listener) {
        return bus.subscribe(listener);
    }

    public CompletableFuture<Created> create(NewJob cmd) {
        if (cmd.idempotencyKey() == null) {
            return insertUnderParent(cmd);
        }
        if (cmd.parentId() != null) {
            // a child lives in its parent's project, so that is where its idempotency key is kept and looked up
            return get(cmd.parentId()).thenCompose(p -> createOnce(cmd.inProject(p.project())));
        }
        return createOnce(cmd);
    }

    private CompletableFuture<Created> createOnce(NewJob cmd) {
        String slot = cmd.project() + '\u0000' + cmd.idempotencyKey();
        CompletableFuture<Created> mine = new CompletableFuture<>();
        CompletableFuture<Created> running = creating.putIfAbsent(slot, mine);
        if (running != null) {
            return running.thenApply(c -> new Created(c.job(), false));
        }
        CompletableFuture.supplyAsync(() -> store.jobIdForIdempotencyKey(cmd.project(), cmd.idempotencyKey()), reads)
                .thenCompose(existing -> existing.isPresent()
                        ? get(existing.get()).thenApply(j -> new Created(j, false))
                        : insertUnderParent(cmd))
                .whenComplete((c, e) -> {
                    creating.remove(slot, mine);
                    if (e != null) {
                        mine.completeExceptionally(e);
                    } else {
                        mine.complete(c);
                    }
                });
        return mine;
    }

    /**
     * A child is created under its parent's monitor, so a cancel of the parent cannot miss it, and the parent
     * knows of it from then on: it cannot finish by its children while one is still being created.
     */
    private CompletableFuture<Created> insertUnderParent(NewJob cmd) {
        if (cmd.parentId() == null) {
            return insert(cmd, List.of());
        }
        return withLive(cmd.parentId(), parent -> {
            Job p = parent.job();
            if (p.status().isTerminal()) {
                throw HeraldException.finished(p.status());
            }
            List<String> ancestors = new ArrayList<>(parent.ancestors.size() + 1);
            ancestors.add(p.id());
            ancestors.addAll(parent.ancestors);
            parent.childrenBeingCreated++;
            CompletableFuture<Created> created;
            try {
                created = insert(cmd.inProject(p.project()), ancestors);
            } catch (RuntimeException e) {
                parent.childrenBeingCreated--;
                throw e;
            }
            return created.whenComplete((c, e) -> {
                synchronized (parent) {
                    parent.childrenBeingCreated--;
                    if (c != null) {
                        parent.childrenCreated++;
                        if (parent.tally != null) {
                            parent.tally.see(c.job());
                        }
                    }
                }
                if (e != null) {
                    children.recount(parent.id);
                }
            });
        });
    }

    private CompletableFuture<Created> insert(NewJob cmd, List<String> ancestors) {
        Instant now = now();
        Job job = new Job.Builder()
                .id(IdGenerator.newJobId()).type(cmd.type()).name(cmd.name()).project(cmd.project())
                .owner(cmd.owner()).parentId(cmd.parentId()).status(cmd.status()).stages(cmd.stages())
                .progress(new Progress(null, null, null, cmd.total(), cmd.unit(), 0, null, cmd.metadata()))
                .maxAttempts(cmd.maxAttempts()).completeWithChildren(cmd.completeWithChildren())
                .createdAt(now).updatedAt(now).startedAt(cmd.status() == JobStatus.RUNNING ? now : null)
                .version(1).build();
        LiveJob lj = new LiveJob(job, 0, ancestors, now.toEpochMilli());
        cache.add(lj);
        WriteBatch.IdempotencyKey key = cmd.idempotencyKey() == null ? null
                : new WriteBatch.IdempotencyKey(cmd.project(), cmd.idempotencyKey(), job.id());
        synchronized (lj) {
            return writes.submit(lj, job, JobEvent.status(job, null).within(ancestors), key)
                    .thenApply(v -> {
                        children.changed(job);
                        return new Created(job, true);
                    });
        }
    }

    /** The job's newest state; fails with {@code not_found}. */
    public CompletableFuture<Job> get(String id) {
        LiveJob lj = cache.get(id);
        if (lj != null) {
            return CompletableFuture.completedFuture(lj.job());
        }
        return CompletableFuture.supplyAsync(() -> store.find(id).orElseThrow(HeraldException::notFound), reads);
    }

    /** The job's parent, its parent and so on up to the root; fails with {@code not_found}. */
    public CompletableFuture<List<String>> ancestors(String id) {
        LiveJob lj = cache.get(id);
        if (lj != null) {
            return CompletableFuture.completedFuture(lj.ancestors);
        }
        return CompletableFuture.supplyAsync(() -> cache.ancestorsOf(store.find(id)
                .orElseThrow(HeraldException::notFound)), reads);
    }

    /** The job's state if it is in memory, without touching the store. */
    public Optional<Job> cached(String id) {
        LiveJob lj = cache.get(id);
        return lj == null ? Optional.empty() : Optional.of(lj.job());
    }

    /** Applies a progress report; a waiting job starts running. Answers the job's new version. */
    public CompletableFuture<Long> progress(String id, ProgressReport report) {
        return withLive(id, lj -> {
            Job old = lj.job();
            Job next = Transitions.progress(old, report, lj.eta, now());
            lj.set(next);
            if (next.status() != old.status()) {
                return writes.submit(lj, next, JobEvent.status(next, old.status()).within(lj.ancestors), null)
                        .thenApply(v -> {
                            children.changed(next);
                            return next.version();
                        });
            }
            writes.markDirty(lj);
            writes.publish(lj, JobEvent.progress(next).within(lj.ancestors));
            children.changed(next);
            return CompletableFuture.completedFuture(next.version());
        });
    }

    public CompletableFuture<Job> start(String id) {
        return transition(id, j -> Transitions.start(j, now()));
    }

    public CompletableFuture<Job> complete(String id, RawJson result) {
        return transition(id, j -> Transitions.complete(j, result, now()));
    }

    public CompletableFuture<Job> fail(String id, JobError error) {
        return transition(id, j -> Transitions.fail(j, error, now()));
    }

    /** Cancels the job and every unfinished descendant, all in one durable step. */
    public CompletableFuture<Job> cancel(String id) {
        return withLive(id, lj -> CompletableFuture.supplyAsync(() -> cascade.cancel(lj, now()), reads))
                .thenCompose(f -> f)
                .thenApply(cancelled -> {
                    cancelled.forEach(children::changed);
                    return cancelled.get(0);
                });
    }

    public CompletableFuture<Job> retry(String id) {
        return transition(id, j -> Transitions.retry(j, now()));
    }

    /** The worker is alive; answers {@code job_finished} when it should stop. */
    public CompletableFuture<Void> heartbeat(String id) {
        return withLive(id, lj -> {
            JobStatus status = lj.job().status();
            if (status.isTerminal()) {
                throw HeraldException.finished(status);
            }
            return CompletableFuture.completedFuture(null);
        });
    }

    public CompletableFuture<LogLine> log(String id, LogEntry entry) {
        return withLive(id, lj -> {
            Job old = lj.job();
            if (old.status().isTerminal()) {
                throw HeraldException.finished(old.status());
            }
            Instant now = now();
            LogLine line = new LogLine(lj.nextLogSeq(), now, entry.level(), entry.message(), entry.fields());
            Job next = old.toBuilder().updatedAt(now).version(old.version() + 1).build();
            lj.set(next);
            return writes.submit(lj, next, JobEvent.log(next, line).within(lj.ancestors), null).thenApply(v -> line);
        });
    }

    public CompletableFuture<JobPage> list(JobQuery query) {
        return CompletableFuture.supplyAsync(() -> store.list(query), reads).thenApply(page -> new JobPage(
                page.items().stream().map(cache::newest).toList(), page.next()));
    }

    public CompletableFuture<List<LogLine>> logs(String id, long after, int limit) {
        return CompletableFuture.supplyAsync(() -> store.logs(id, after, limit), reads);
    }

    /** Retained events of these jobs after a stream position, for replay. */
    public CompletableFuture<List<JobEvent>> retainedEvents(Collection<String> ids, long after, int limit) {
        return CompletableFuture.supplyAsync(() -> store.eventsAfter(ids, after, limit), reads);
    }

    /** The job and all its descendants, newest states, parents before their children; fails with not_found. */
    public CompletableFuture<List<Job>> subtree(String rootId) {
        return get(rootId).thenCompose(root -> CompletableFuture.supplyAsync(() -> {
            List<Job> jobs = new ArrayList<>();
            jobs.add(root);
            for (String id : cache.descendantIds(rootId)) {
                LiveJob lj = cache.get(id);
                if (lj != null) {
                    jobs.add(lj.job());
                } else {
                    store.find(id).ifPresent(jobs::add);
                }
            }
            return jobs;
        }, reads));
    }

    /** The unfinished jobs of a project, newest first, at most {@code limit} of each waiting or running status. */
    public CompletableFuture<List<Job>> activeJobs(String project, int limit) {
        return CompletableFuture.supplyAsync(() -> {
            List<Job> jobs = new ArrayList<>();
            for (JobStatus status : List.of(JobStatus.RUNNING, JobStatus.QUEUED, JobStatus.PENDING)) {
                store.list(new JobQuery(Set.of(project), status, null, null, null, limit, null)).items().stream()
                        .map(cache::newest).forEach(jobs::add);
            }
            return jobs;
        }, reads);
    }

    /** Retained events of a project after a stream position, for replay. */
    public CompletableFuture<List<JobEvent>> retainedProjectEvents(String project, long after, int limit) {
        return CompletableFuture.supplyAsync(() -> store.projectEventsAfter(project, after, limit), reads);
    }

    /** Throws when the store cannot be reached. */
    public CompletableFuture<Void> ping() {
        return CompletableFuture.runAsync(store::ping, reads);
    }

    private CompletableFuture<Job> transition(String id, UnaryOperator<Job> change) {
        return withLive(id, lj -> {
            Job old = lj.job();
            Job next = change.apply(old);
            lj.set(next);
            return writes.submit(lj, next, JobEvent.status(next, old.status()).within(lj.ancestors), null)
                    .thenApply(v -> {
                        children.changed(next);
                        return next;
                    });
        });
    }

    /** Runs the action under the job's monitor, loading the job first when it is not in memory. */
    private <T> CompletableFuture<T> withLive(String id, Function<LiveJob, CompletableFuture<T>> action) {
        LiveJob lj = cache.get(id);
        if (lj == null) {
            return CompletableFuture.supplyAsync(() -> cache.load(id), reads).thenCompose(l -> withLive(id, action));
        }
        synchronized (lj) {
            if (lj.isRetired()) {
                return withLive(id, action);
            }
            lj.touch(clock.millis());
            try {
                return action.apply(lj);
            } catch (HeraldException e) {
                CompletableFuture<Void> ending = lj.lastWrite;
                if (e.code() == ErrorCode.JOB_FINISHED && ending != null && !ending.isDone()) {
                    // the job's end is not durable yet: a worker told to stop must never see it undone, so answer
                    // once it is (or, if the store refuses it, as the job then stands)
                    return ending.handleAsync((v, refused) -> null, reads).thenCompose(v -> withLive(id, action));
                }
                return CompletableFuture.failedFuture(e);
            }
        }
    }

    private void maintain() {
        try {
            cache.evictIdle(options.cacheIdle(), writes::hasPendingWrites);
            deleteExpired();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "maintenance failed; will try again", e);
        }
    }

    /** Deletes finished jobs older than the retention, each with a {@code deleted} event. Returns how many. */
    public int deleteExpired() {
        return retention.deleteExpired();
    }

    Instant now() {
        return clock.instant();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Writes everything queued and dirty, then stops. */
    @Override
    public void close() {
        maintenance.shutdownNow();
        writer.close();
        reads.shutdown();
    }
}
