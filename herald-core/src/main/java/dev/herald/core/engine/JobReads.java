package dev.herald.core.engine;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLine;
import dev.herald.core.model.RawJson;
import dev.herald.core.port.JobPage;
import dev.herald.core.port.JobQuery;
import dev.herald.core.port.JobStore;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * The engine's answers that change nothing. A job in memory is answered from there at
 * once; anything else is read from the store on a read thread, and a stored job that
 * memory holds newer is answered as memory has it.
 */
final class JobReads {
    /** Ids refused lately, answered from memory: enough for a prober's loop, bounded for a flood of random ids. */
    private static final int RECENT_REFUSALS = 10_000;
    /** Appended to an id, it names no job (ids never hold it). */
    private static final String NO_JOB = "~";
    private final JobStore store;
    private final JobCache cache;
    private final Executor threads;
    private final Refusals refusals = new Refusals(RECENT_REFUSALS);
    /**
     * Access facts of jobs lately found in the store and let through to a change: on a cluster node, the jobs of
     * other nodes' trees, whose every write would otherwise read the job's row again before it is sent on.
     */
    private final RecentlyUsed<Job> changeable = new RecentlyUsed<>(RECENT_REFUSALS);
    /** Other nodes' newer states of their trees' jobs; null outside a cluster. */
    private final OwnersStates owners;

    JobReads(JobStore store, JobCache cache, Executor threads, OwnersStates owners) {
        this.store = store;
        this.cache = cache;
        this.threads = threads;
        this.owners = owners;
    }

    CompletableFuture<Job> get(String id) {
        LiveJob lj = cache.get(id);
        if (lj != null) {
            return CompletableFuture.completedFuture(lj.job());
        }
        return CompletableFuture.supplyAsync(() -> store.find(id).orElseThrow(HeraldException::notFound), threads)
                .thenCompose(this::current);
    }

    /** A job read here, as its tree's owner holds it now when that is another live node. */
    CompletableFuture<Job> current(Job read) {
        return owners == null || cache.get(read.id()) != null ? CompletableFuture.completedFuture(read)
                : owners.newest(read);
    }

    /**
     * The job if {@code readable} accepts it, else {@code not_found} at one cost whether the id is unknown or names a
     * job the caller may not read, so the time of a refusal tells nothing: the first refusal of an id takes one store
     * lookup (for a job in memory, one that misses, as an unknown id's does), later ones none. A readable job costs
     * what {@link #get} does.
     */
    CompletableFuture<Job> read(String id, Function<Job, CompletableFuture<Boolean>> readable) {
        Optional<Job> refused = refusals.get(id);
        if (refused != null) {
            return refused.isEmpty() ? CompletableFuture.failedFuture(HeraldException.notFound())
                    : readable.apply(refused.get()).thenCompose(ok -> ok ? get(id) : notFound(null));
        }
        LiveJob lj = cache.get(id);
        if (lj != null) {
            Job job = lj.job();
            // the lookup an unknown id gets, a miss: under a name no job can have (reading the job itself would also
            // decode it, which an unknown id never costs)
            return readable.apply(job).thenCompose(ok -> ok ? CompletableFuture.completedFuture(job)
                    : CompletableFuture.supplyAsync(() -> store.find(id + NO_JOB), threads)
                            .thenCompose(ignored -> notFound(job)));
        }
        return CompletableFuture.supplyAsync(() -> store.find(id), threads).thenCompose(stored -> {
            if (stored.isEmpty()) {
                refusals.unknown(id);
                return notFound(null);
            }
            Job job = cache.newest(stored.get());
            return readable.apply(job).thenCompose(ok -> ok ? CompletableFuture.completedFuture(job) : notFound(job));
        });
    }

    /**
     * Completes if {@code readable} accepts the job, from what never changes of it: a job memory does not hold is read
     * once, and its next checks need no store. Refused as {@link #read} refuses, at its cost. A job deleted since it
     * was read passes, and the change then finds it gone.
     */
    CompletableFuture<Void> mayChange(String id, Function<Job, CompletableFuture<Boolean>> readable) {
        Job facts = cache.get(id) == null ? changeable.get(id) : null;
        if (facts == null) {
            return read(id, readable).thenAccept(job -> {
                if (cache.get(id) == null) {
                    changeable.put(id, Refusals.accessFacts(job));
                }
            });
        }
        return readable.apply(facts).thenCompose(ok -> ok ? CompletableFuture.completedFuture(null)
                : read(id, readable).thenAccept(job -> { }));
    }

    /** A refusal, remembered for the job (null: the id is unknown or already remembered). */
    private CompletableFuture<Job> notFound(Job unreadable) {
        if (unreadable != null) {
            refusals.unreadable(unreadable);
        }
        return CompletableFuture.failedFuture(HeraldException.notFound());
    }

    CompletableFuture<List<String>> ancestors(String id) {
        LiveJob lj = cache.get(id);
        if (lj != null) {
            return CompletableFuture.completedFuture(lj.ancestors);
        }
        return CompletableFuture.supplyAsync(() -> cache.ancestorsOf(store.find(id)
                .orElseThrow(HeraldException::notFound)), threads);
    }

    Optional<Job> cached(String id) {
        LiveJob lj = cache.get(id);
        return lj == null ? Optional.empty() : Optional.of(lj.job());
    }

    CompletableFuture<JobPage> list(JobQuery query) {
        return CompletableFuture.supplyAsync(() -> store.list(query), threads).thenCompose(page ->
                newest(page.items()).thenApply(items -> new JobPage(items, page.next())));
    }

    /** Stored jobs of any trees as the nodes that hold them have them: this one's memory, or their live owners'. */
    private CompletableFuture<List<Job>> newest(List<Job> stored) {
        List<Job> here = stored.stream().map(cache::newest).toList();
        return owners == null ? CompletableFuture.completedFuture(here) : owners.newestOfAnyTrees(here);
    }

    CompletableFuture<List<LogLine>> logs(String id, long after, int limit) {
        return CompletableFuture.supplyAsync(() -> store.logs(id, after, limit), threads);
    }

    CompletableFuture<List<JobEvent>> retainedEvents(Collection<String> ids, long after, int limit) {
        return CompletableFuture.supplyAsync(() -> store.eventsAfter(ids, after, limit), threads);
    }

    /** The tree's owner, when another node, is asked once for all of it. */
    CompletableFuture<List<Job>> subtree(String rootId) {
        CompletableFuture<List<Job>> read = CompletableFuture.supplyAsync(() -> {
            List<Job> jobs = new ArrayList<>();
            jobs.add(held(rootId).orElseThrow(HeraldException::notFound));
            for (String id : cache.descendantIds(rootId)) {
                held(id).ifPresent(jobs::add);
            }
            return jobs;
        }, threads);
        return owners == null || cache.get(rootId) != null ? read : read.thenCompose(owners::newest);
    }

    /** From memory, else from the store. Blocks. */
    private Optional<Job> held(String id) {
        LiveJob lj = cache.get(id);
        return lj != null ? Optional.of(lj.job()) : store.find(id);
    }

    CompletableFuture<List<Job>> activeJobs(String project, int limit) {
        return CompletableFuture.supplyAsync(() -> {
            List<Job> jobs = new ArrayList<>();
            for (JobStatus status : List.of(JobStatus.RUNNING, JobStatus.QUEUED, JobStatus.PENDING)) {
                jobs.addAll(store.list(new JobQuery(Set.of(project), status, null, null, null, limit, null)).items());
            }
            return jobs;
        }, threads).thenCompose(this::newest);
    }

    CompletableFuture<List<JobEvent>> retainedProjectEvents(String project, long after, int limit) {
        return CompletableFuture.supplyAsync(() -> store.projectEventsAfter(project, after, limit), threads);
    }

    CompletableFuture<Void> ping() {
        return CompletableFuture.runAsync(store::ping, threads);
    }

    CompletableFuture<Map<JobStatus, Long>> countByStatus(JobQuery query) {
        return CompletableFuture.supplyAsync(() -> store.countByStatus(query), threads);
    }

    CompletableFuture<Long> storedPosition() {
        return CompletableFuture.supplyAsync(store::lastPosition, threads);
    }

    CompletableFuture<Optional<RawJson>> input(String id) {
        return CompletableFuture.supplyAsync(() -> store.input(id), threads);
    }
}
