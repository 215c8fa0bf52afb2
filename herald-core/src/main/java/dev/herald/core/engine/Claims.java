package dev.herald.core.engine;

import dev.herald.core.command.ClaimRequest;
import dev.herald.core.event.EventType;
import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.Lease;
import dev.herald.core.port.ClaimQuery;
import dev.herald.core.port.EventBus;
import dev.herald.core.port.JobStore;
import dev.herald.core.rules.Transitions;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Claims (API §9). The store picks the oldest due job and holds it for this claimer, so claimers on any
 * node never race for one row; the job then moves to running under its monitor, which refuses a job that
 * changed meanwhile (cancelled, claimed through a stale store read), and the store refuses a state another
 * node wrote first. In a cluster that move is made by the node that owns the job's tree, the claim forwarded
 * there like a worker's write (docs/cluster.md §14, part 5). A claimer that finds nothing may wait: it tries
 * again when a job of its types is queued here, and at every tick (jobs queued on other nodes, retries coming due).
 */
final class Claims {
    /** Candidates one claim looks at before it answers that none was free. */
    private static final int TRIES = 20;

    private final JobStore store;
    private final JobCommands commands;
    /** The writes of a lease token, routed to the owner of a job's tree in a cluster. */
    private final Function<String, LeasedWrites> writes;
    private final Clock clock;
    private final Executor reads;
    private final ScheduledExecutorService timers;
    private final Set<ClaimWait> waiting = ConcurrentHashMap.newKeySet();

    /**
     * Claims with their waits woken by the bus and by the lease watch's tick, which runs on {@code maintenance}.
     *
     * @param writes      the writes of a lease token, routed to the owner of a job's tree in a cluster
     * @param sweepsStore whether the lease watch takes the store's expired leases too ({@link LeaseWatch})
     */
    static Claims start(JobStore store, JobCache cache, JobCommands commands, Function<String, LeasedWrites> writes,
                        Clock clock, Executor reads, ScheduledExecutorService timers, EventBus bus,
                        Maintenance maintenance, BooleanSupplier sweepsStore) {
        Claims claims = new Claims(store, commands, writes, clock, reads, timers);
        bus.subscribe(claims::seen);
        LeaseWatch leases = new LeaseWatch(store, cache, commands, clock, sweepsStore);
        maintenance.every(LeaseWatch.PERIOD, () -> {
            leases.sweep();
            claims.tick();
        });
        return claims;
    }

    private Claims(JobStore store, JobCommands commands, Function<String, LeasedWrites> writes, Clock clock,
                   Executor reads, ScheduledExecutorService timers) {
        this.store = store;
        this.commands = commands;
        this.writes = writes;
        this.clock = clock;
        this.reads = reads;
        this.timers = timers;
    }

    /**
     * The job now running under a new lease, or empty when none came within the request's wait. Cancelling
     * the answer (its claimer went away) ends the wait; a job taken meanwhile goes back to the queue.
     */
    CompletableFuture<Optional<Job>> claim(ClaimRequest request) {
        ClaimWait wait = new ClaimWait(request, this::attempt, this::giveBack);
        if (request.waitMs() <= 0) {
            wait.wake();
            wait.expire();
            return wait.answer();
        }
        waiting.add(wait);
        wait.answer().whenComplete((j, e) -> waiting.remove(wait));
        timers.schedule(wait::expire, request.waitMs(), TimeUnit.MILLISECONDS);
        wait.wake();
        return wait.answer();
    }

    private void giveBack(Job job) {
        writes.apply(job.lease().token()).release(job.id());
    }

    /** A job became queued here: the waiters for its type look again. */
    void seen(JobEvent event) {
        if (event.type() == EventType.STATUS && event.job().status() == JobStatus.QUEUED) {
            waiting.stream().filter(w -> w.request().types().contains(event.job().type())).forEach(ClaimWait::wake);
        }
    }

    /** Every waiter looks again. */
    void tick() {
        waiting.forEach(ClaimWait::wake);
    }

    private CompletableFuture<Optional<Job>> attempt(ClaimRequest request) {
        return attempt(request, TRIES);
    }

    /**
     * Up to {@code n} more due jobs for the claimer of {@code request}, without a wait: taken side by side, so
     * that their moves to running share the store's commits. Oldest first.
     */
    CompletableFuture<List<Job>> more(ClaimRequest request, int n) {
        List<CompletableFuture<Optional<Job>>> tries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            // a store fault leaves no job taken: the claim answers the jobs it has
            tries.add(attempt(request, 1).exceptionally(fault -> Optional.empty()));
        }
        return CompletableFuture.allOf(tries.toArray(CompletableFuture[]::new)).thenApply(v -> tries.stream()
                .map(CompletableFuture::join).flatMap(Optional::stream)
                .sorted(Comparator.comparing(Job::createdAt).thenComparing(Job::id)).toList());
    }

    private CompletableFuture<Optional<Job>> attempt(ClaimRequest request, int triesLeft) {
        ClaimQuery query = query(request, clock.instant());
        return CompletableFuture.supplyAsync(() -> store.claimNext(query), reads).thenCompose(id -> {
            if (id.isEmpty()) {
                return CompletableFuture.completedFuture(Optional.<Job>empty());
            }
            // in a cluster the job moves to running on the node that owns its tree, wherever it was picked
            return writes.apply(null).take(id.get(), request)
                    .exceptionally(refused -> Optional.empty())
                    .thenCompose(taken -> taken.isPresent() || triesLeft <= 1
                            ? CompletableFuture.completedFuture(taken) : attempt(request, triesLeft - 1));
        });
    }

    private static ClaimQuery query(ClaimRequest request, Instant now) {
        return new ClaimQuery(request.types(), request.projects(), now, now.plusMillis(request.leaseMs()));
    }

    /** The picked job moved to running here, for the claimer: empty when it is not queued, due and of the request. */
    CompletableFuture<Optional<Job>> take(String id, ClaimRequest request) {
        return commands.withLive(id, lj -> take(lj, request));
    }

    /** Caller holds the job's monitor. */
    private CompletableFuture<Optional<Job>> take(LiveJob lj, ClaimRequest request) {
        Job job = lj.job();
        Instant now = clock.instant();
        boolean due = job.nextAttemptAt() == null || !job.nextAttemptAt().isAfter(now);
        if (job.status() != JobStatus.QUEUED || !due || !query(request, now).matches(job.type(), job.project())) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        Lease lease = new Lease(request.worker(), Leases.newToken(), now.plusMillis(request.leaseMs()),
                request.leaseMs());
        return commands.changed(lj, Transitions.claimed(job, lease, now)).thenApply(Optional::of);
    }
}
