package dev.herald.core.engine;

import dev.herald.core.cluster.ClusterNode;
import dev.herald.core.cluster.ClusterStats;
import dev.herald.core.cluster.Router;
import dev.herald.core.command.ClaimRequest;
import dev.herald.core.command.LogEntry;
import dev.herald.core.command.NewJob;
import dev.herald.core.command.ProgressReport;
import dev.herald.core.history.RunHistory;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobError;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLine;
import dev.herald.core.model.RawJson;
import dev.herald.core.port.EventBus;
import dev.herald.core.port.JobPage;
import dev.herald.core.port.JobQuery;
import dev.herald.core.port.JobStore;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * Herald's engine: every command on jobs, rules applied, changes made durable or written behind as they say,
 * events published in version order. Never blocks the caller on I/O: a job not in memory is loaded on a read
 * thread and the answer completes later.
 */
public final class JobEngine implements AutoCloseable {
    /** A created job, or the one an earlier request with the same idempotency key created. */
    public record Created(Job job, boolean isNew) { }
    private final JobStore store;
    private final EngineEvents events;
    private final ExecutorService readThreads;
    private final EventPublisher publisher;
    private final StoreWriter writer;
    private final Retention retention;
    private final Maintenance maintenance;
    private final JobReads reads;
    private final JobCommands commands;
    private final JobCreation creation;
    private final Estimates estimates;
    private final EngineStreams streams;
    private final Claims claims;
    private final JobCache cache;
    private final WriteQueue writes;
    /** The trees this node owns in a cluster and its duties; null outside one. */
    private final ClusterWiring node;
    /** Sends commands on other nodes' trees there; null outside a cluster that forwards (see LeasedWrites). */
    private final Router router;

    private JobEngine(JobStore store, EventBus bus, EngineOptions options, ClusterNode cluster) {
        this.store = store;
        // every reading of wall time in the engine goes through this clock, to the millisecond as stored
        Clock clock = Clock.tick(options.clock(), Duration.ofMillis(1));
        this.node = cluster == null ? null : new ClusterWiring(cluster);
        this.cache = new JobCache(store, clock, options.stallAfter().toMillis(), node == null ? null : node.trees());
        this.readThreads = Executors.newFixedThreadPool(options.readThreads(), Daemons.named("herald-store-read"));
        ScheduledExecutorService background =
                Executors.newSingleThreadScheduledExecutor(Daemons.named("herald-maintenance"));
        this.publisher = new EventPublisher(bus, store.lastPosition(), cluster == null ? null : cluster.lease());
        this.events = EngineEvents.start(bus, store, cache, publisher, options);
        if (cluster == null) {
            // before any command: nothing else touches a job. In a cluster other nodes own trees: a takeover's gap
            // takes its place (docs/cluster.md §2.6)
            VersionRecovery.run(store, publisher, clock.instant());
        }
        this.writes = new WriteQueue(publisher);
        this.writer = new StoreWriter(store, writes, publisher, options, cache);
        this.estimates = new Estimates(store, readThreads);
        ChildrenAggregator children = new ChildrenAggregator(cache, writes, estimates, clock);
        this.reads = new JobReads(store, cache, readThreads, OwnersStates.of(cluster, readThreads));
        this.streams = new EngineStreams(events, new Publication(cache, writes, events::position), reads);
        TakeoverGap gap = new TakeoverGap(store, cache, writes);
        this.commands = new JobCommands(cache, writes, children, gap, estimates, clock, readThreads);
        this.retention = new Retention(store, cache, writes, commands, children::deleted, clock, options.retention());
        this.creation = new JobCreation(store, cache, writes, children, commands, reads, clock, readThreads);
        this.maintenance = new Maintenance(background, store, cache, writes, children, retention, options.cacheIdle());
        maintenance.start(options.retentionSweep(), cluster == null);
        StallWatch.start(new StallWatch(cache, writes, estimates, clock, options.stallAfter()), maintenance);
        this.claims = Claims.start(store, cache, commands, this::leased, clock, readThreads, background, bus,
                maintenance, node == null ? () -> true : node.sweepsStoredLeases());
        this.router = Router.of(cluster, id -> cache.get(id) != null, readThreads);
        if (node != null) {
            node.start(cache, writes, children, gap, retention, maintenance, options.retentionSweep(),
                    id -> leased(null).expire(id));
        }
    }

    /** An engine alone on its store (embedded, or a single node on PostgreSQL). */
    public static JobEngine start(JobStore store, EventBus bus, EngineOptions options) {
        return new JobEngine(store, bus, options, null);
    }

    /** One node of a cluster (docs/cluster.md §2) on the cluster's store, fenced as this node's; owns trees. */
    public static JobEngine start(JobStore store, EventBus bus, EngineOptions options, ClusterNode cluster) {
        return new JobEngine(store, bus, options, Objects.requireNonNull(cluster, "cluster"));
    }

    /** What this node's ownership counts, and the duties it holds; empty outside a cluster. */
    public Optional<ClusterStats> clusterStats() {
        return node == null ? Optional.empty() : Optional.of(node.stats());
    }

    public String epoch() {
        return store.epoch();
    }

    /** What streams need: positions, publication, events, and the states and events they open with. */
    public EngineStreams streams() {
        return streams;
    }

    /** The job's newest state ({@link #get}) once it is {@link EngineStreams#published}; fails with {@code not_found}. */
    public CompletableFuture<Job> settled(String id) {
        return get(id).thenCompose(this::whenPublished);
    }

    /**
     * A job {@link #read} from the store, as {@link #settled(String)} answers it: as its tree's owner holds it when
     * that is another live node (docs/cluster.md §2.5).
     */
    public CompletableFuture<Job> settled(Job read) {
        return reads.current(read).thenCompose(this::whenPublished);
    }

    private CompletableFuture<Job> whenPublished(Job job) {
        return streams.published(List.of(job.id())).thenApply(p -> job);
    }

    public CompletableFuture<Created> create(NewJob cmd) {
        return leased(null).create(cmd);
    }

    /** The job's newest state; fails with {@code not_found}. */
    public CompletableFuture<Job> get(String id) {
        return reads.get(id);
    }

    /**
     * The job if {@code readable} accepts it; else fails with {@code not_found}, at the same cost whether the id is
     * unknown or names a job the caller may not read (API §5: unreadable is unknown, in time too).
     */
    public CompletableFuture<Job> read(String id, Function<Job, CompletableFuture<Boolean>> readable) {
        return reads.read(id, readable);
    }

    /**
     * Completes if {@code readable} accepts the job, answered as {@link #read} for a job the caller may not read;
     * cheaper than a read for a job another node holds (its facts are remembered, as they never change).
     */
    public CompletableFuture<Void> mayChange(String id, Function<Job, CompletableFuture<Boolean>> readable) {
        return reads.mayChange(id, readable);
    }

    /** The job's parent, its parent and so on up to the root; fails with {@code not_found}. */
    public CompletableFuture<List<String>> ancestors(String id) {
        return reads.ancestors(id);
    }

    /** The job's state if in memory, without touching the store. */
    public Optional<Job> cached(String id) {
        return reads.cached(id);
    }

    /** Applies a progress report; a waiting job starts running. Answers the job's new version. */
    public CompletableFuture<Long> progress(String id, ProgressReport report) {
        return commands.progress(id, report);
    }

    public CompletableFuture<Job> start(String id) {
        return commands.start(id);
    }

    public CompletableFuture<Job> complete(String id, RawJson result) {
        return commands.complete(id, result);
    }

    public CompletableFuture<Job> fail(String id, JobError error) {
        return commands.fail(id, error);
    }

    /** Cancels the job and every unfinished descendant, all in one durable step. */
    public CompletableFuture<Job> cancel(String id) {
        return commands.cancel(id);
    }

    public CompletableFuture<Job> retry(String id) {
        return commands.retry(id, 0);
    }

    /** The writes of the worker holding this lease token (API §9); with null, the writes above. */
    public LeasedWrites leased(String leaseToken) {
        return new LeasedWrites(commands.holding(leaseToken), creation, retention, claims, router, leaseToken);
    }

    /** The oldest due queued job of the request's types, now running under a new lease; empty if none came. */
    public CompletableFuture<Optional<Job>> claim(ClaimRequest request) {
        return claims.claim(request);
    }

    /** Up to {@code n} more due jobs for the claimer of {@code request}, at once (no wait): a claim's rest. */
    public CompletableFuture<List<Job>> claimMore(ClaimRequest request, int n) {
        return claims.more(request, n);
    }

    /** The input the job was created with, empty if none; the caller has checked it may read the job. */
    public CompletableFuture<Optional<RawJson>> input(String id) {
        return reads.input(id);
    }

    /** The worker is alive; answers {@code job_finished} when it should stop. */
    public CompletableFuture<Void> heartbeat(String id) {
        return commands.heartbeat(id);
    }

    public CompletableFuture<LogLine> log(String id, LogEntry entry) {
        return commands.log(id, entry);
    }

    public CompletableFuture<JobPage> list(JobQuery query) {
        return reads.list(query);
    }

    /** How many stored jobs match the query's filters (but its status and cursor), by status. */
    public CompletableFuture<Map<JobStatus, Long>> countByStatus(JobQuery query) {
        return reads.countByStatus(query);
    }

    public CompletableFuture<List<LogLine>> logs(String id, long after, int limit) {
        return reads.logs(id, after, limit);
    }

    /** The estimates' histories of the project's job types (API §10), by type. */
    public CompletableFuture<List<RunHistory>> histories(String project) {
        return estimates.histories(project);
    }

    /** Throws when the store cannot be reached. */
    public CompletableFuture<Void> ping() {
        return reads.ping();
    }

    /** Deletes finished jobs older than the retention, each with a {@code deleted} event, by their trees' owners. */
    public int deleteExpired() {
        return node == null ? retention.deleteExpired() : retention.deleteExpiredByOwners(leased(null)::expire);
    }

    /** Writes everything queued and dirty, then stops; in a cluster, releases its trees if that wrote everything. */
    @Override
    public void close() {
        maintenance.close();
        writer.close();
        if (node != null) {
            node.stopped(writer.wroteAll());
        }
        estimates.close();
        events.close();
        readThreads.shutdown();
    }
}
