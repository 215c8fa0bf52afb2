package dev.herald.core.engine;

import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.core.port.JobPage;
import dev.herald.core.port.JobQuery;
import dev.herald.core.port.JobStore;
import dev.herald.core.port.ListCursor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The jobs the engine holds in memory, in front of the store. A job in memory is
 * newer than (or as new as) the stored one; one that is not is exactly the stored
 * one. Methods that read the store block, so they run on the engine's own threads.
 */
final class JobCache implements LiveJobs {
    /**
     * Versions given out for progress and summaries are written behind, so a process that stopped may have
     * given out versions its store never saw (at most a flush interval's worth). So that no version ever names two
     * states, every unfinished job is stored this far above its stored version at the start
     * ({@link VersionRecovery}), and a finished parent (whose summary may still change) last written before this
     * process started continues this far above its stored version when loaded. A finished job without children has
     * nothing written behind: it keeps its version.
     */
    static final long VERSION_GAP = 1_000_000;
    private static final int PAGE = 500;

    private final ConcurrentHashMap<String, LiveJob> live = new ConcurrentHashMap<>();
    private final JobStore store;
    private final Clock clock;
    private final Instant started;
    private final long pauseAfterMillis;

    /**
     * @param clock            the engine's clock: it says when this process started, and how long a job has been idle
     * @param pauseAfterMillis a silence after which a job's estimates count it as paused
     */
    JobCache(JobStore store, Clock clock, long pauseAfterMillis) {
        this.store = store;
        this.clock = clock;
        this.started = clock.instant();
        this.pauseAfterMillis = pauseAfterMillis;
    }

    /** The job if it is in memory, else null. */
    LiveJob get(String id) {
        return live.get(id);
    }

    /** A job just created, now in memory. */
    LiveJob add(Job job, List<String> ancestors) {
        LiveJob lj = live(job, 0, ancestors);
        live.put(lj.id, lj);
        return lj;
    }

    private LiveJob live(Job job, long lastLogSeq, List<String> ancestors) {
        return new LiveJob(job, lastLogSeq, ancestors, clock.millis(), pauseAfterMillis);
    }

    /** Runs the action on every job in memory. */
    void forEachLive(Consumer<LiveJob> action) {
        live.values().forEach(action);
    }

    @Override
    public LiveJob load(String id) {
        LiveJob present = live.get(id);
        if (present != null) {
            return present;
        }
        Job job = store.find(id).orElseThrow(HeraldException::notFound);
        if (job.updatedAt().isBefore(started) && mayHaveLostVersions(job)) {
            job = job.toBuilder().version(job.version() + VERSION_GAP).build();
        }
        LiveJob loaded = live(job, store.lastLogSeq(id), ancestorsOf(job));
        LiveJob raced = live.putIfAbsent(id, loaded);
        return raced != null ? raced : loaded;
    }

    /**
     * Only unfinished jobs and parents (whose summaries go on changing) give out versions that are written behind;
     * the unfinished ones got their new version at the start.
     */
    private static boolean mayHaveLostVersions(Job job) {
        return job.status().isTerminal() && job.children() != null;
    }

    @Override
    public LiveJob retire(Job stored) {
        LiveJob lj = live.get(stored.id());
        if (lj == null) {
            lj = live(stored, 0, ancestorsOf(stored));
        }
        forget(lj);
        return lj;
    }

    /** Lets go of a job for good (deleted, or holding a state the store refused). */
    void forget(LiveJob lj) {
        synchronized (lj) {
            lj.retire();
            live.remove(lj.id, lj);
        }
    }

    /** The stored job, or the one in memory when that is newer. */
    Job newest(Job stored) {
        LiveJob lj = live.get(stored.id());
        if (lj == null) {
            return stored;
        }
        Job mem = lj.job();
        return mem.version() > stored.version() ? mem : stored;
    }

    /** Parent first, up to the root; reads the store for parents not in memory. Blocks. */
    List<String> ancestorsOf(Job job) {
        List<String> out = new ArrayList<>();
        String parent = job.parentId();
        while (parent != null && !out.contains(parent)) {
            out.add(parent);
            LiveJob known = live.get(parent);
            if (known != null) {
                out.addAll(known.ancestors);
                break;
            }
            parent = store.find(parent).map(Job::parentId).orElse(null);
        }
        return out;
    }

    @Override
    public void forEachChild(String parentId, Consumer<Job> action) {
        forEachStoredChild(parentId, child -> action.accept(newest(child)));
    }

    private void forEachStoredChild(String parentId, Consumer<Job> action) {
        ListCursor cursor = null;
        do {
            JobPage page = store.list(new JobQuery(null, null, null, parentId, null, PAGE, cursor));
            page.items().forEach(action);
            cursor = page.next();
        } while (cursor != null);
    }

    @Override
    public Set<String> descendantIds(String rootId) {
        Set<String> found = new LinkedHashSet<>();
        Deque<String> parents = new ArrayDeque<>();
        parents.add(rootId);
        while (!parents.isEmpty()) {
            forEachStoredChild(parents.poll(), child -> {
                if (found.add(child.id())) {
                    parents.add(child.id());
                }
            });
        }
        for (LiveJob lj : live.values()) {
            if (lj.ancestors.contains(rootId)) {
                found.add(lj.id);
            }
        }
        return found;
    }

    /** Lets go of jobs idle for {@code idle} by the engine's clock, unless they have writes pending. */
    void evictIdle(Duration idle, Predicate<LiveJob> hasPendingWrites) {
        long now = clock.millis();
        long idleMillis = idle.toMillis();
        for (LiveJob lj : live.values()) {
            if (lj.idleMillis(now) < idleMillis) {
                continue;
            }
            synchronized (lj) {
                if (!hasPendingWrites.test(lj)) {
                    lj.retire();
                    live.remove(lj.id, lj);
                }
            }
        }
    }
}
