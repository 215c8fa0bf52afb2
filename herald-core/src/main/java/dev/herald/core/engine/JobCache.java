package dev.herald.core.engine;

import dev.herald.core.cluster.OwnedTree;
import dev.herald.core.cluster.OwnedTrees;
import dev.herald.core.cluster.Placement;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.core.port.JobStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The jobs the engine holds in memory, in front of the store. A job in memory is newer than (or as new as) the
 * stored one; one that is not is exactly the stored one. Methods that read the store block, so they run on the
 * engine's own threads. In a cluster every job in memory belongs to a tree this node owns (docs/cluster.md
 * §2.4): loading a job claims its tree, and the tree is released when its last job leaves memory.
 */
final class JobCache implements LiveJobs {
    /**
     * Versions given out for progress and summaries are written behind, so a process that stopped may have
     * given out versions its store never saw (at most a flush interval's worth). So that no version ever names two
     * states, every unfinished job is stored this far above its stored version at the start
     * ({@link VersionRecovery}), and a finished parent (whose summary may still change) last written before this
     * process started continues this far above its stored version when loaded. A finished job without children has
     * nothing written behind: it keeps its version. In a cluster the same gap applies to a tree taken over from a
     * node that did not release it, to its unfinished jobs and finished parents as they are loaded.
     */
    static final long VERSION_GAP = 1_000_000;

    private final ConcurrentHashMap<String, LiveJob> live = new ConcurrentHashMap<>();
    private final PendingDeletions deletions = new PendingDeletions();
    private final JobStore store;
    private final StoredChildren storedChildren;
    private final Clock clock;
    private final Instant started;
    private final long pauseAfterMillis;
    /** The trees this node owns; null outside a cluster. */
    private final OwnedTrees trees;

    /**
     * @param clock            the engine's clock: it says when this process started, and how long a job has been idle
     * @param pauseAfterMillis a silence after which a job's estimates count it as paused
     * @param trees            the trees this node owns in a cluster, else null
     */
    JobCache(JobStore store, Clock clock, long pauseAfterMillis, OwnedTrees trees) {
        this.store = store;
        this.storedChildren = new StoredChildren(store);
        this.trees = trees;
        this.clock = clock;
        this.started = clock.instant();
        this.pauseAfterMillis = pauseAfterMillis;
    }

    /** The job if it is in memory, else null. */
    LiveJob get(String id) {
        return live.get(id);
    }

    /**
     * A job just created, now in memory: a root starts a tree of this node's, claimed with its creation; a child
     * joins its parent's tree ({@code parentTree}, null for a root or outside a cluster).
     */
    LiveJob add(Job job, List<String> ancestors, OwnedTree parentTree) {
        OwnedTree tree = null;
        if (trees != null) {
            if (parentTree == null) {
                tree = trees.created(job.id());
            } else {
                trees.joined(parentTree);
                tree = parentTree;
            }
        }
        LiveJob lj = live(job, 0, ancestors, tree);
        live.put(lj.id, lj);
        return lj;
    }

    private LiveJob live(Job job, long lastLogSeq, List<String> ancestors, OwnedTree tree) {
        return new LiveJob(job, lastLogSeq, ancestors, tree, clock.millis(), pauseAfterMillis);
    }

    /** Whether this node may change jobs now: always outside a cluster, else while its lease is valid. */
    boolean mayAct() {
        return trees == null || trees.mayAct();
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
        deletions.awaitOutcome(id);
        Job job = store.find(id).orElseThrow(HeraldException::notFound);
        List<String> ancestors = ancestorsOf(job);
        if (trees != null) {
            return loadOwned(job, ancestors);
        }
        if (job.updatedAt().isBefore(started) && mayHaveLostVersions(job)) {
            job = gapped(job);
        }
        return keep(live(job, store.lastLogSeq(id), ancestors, null));
    }

    /**
     * Claims the job's tree first, then reads the job again: another node may have written it until it let the
     * tree go. Taken over from a node that did not let go, it continues at the gap.
     */
    private LiveJob loadOwned(Job stored, List<String> ancestors) {
        String id = stored.id();
        String root = ancestors.isEmpty() ? id : ancestors.get(ancestors.size() - 1);
        OwnedTree tree = trees.claim(new Placement(id, root, stored.project(), ancestors));
        LiveJob loaded;
        try {
            Job job = store.find(id).orElseThrow(HeraldException::notFound);
            if (tree.takenOver() && (!job.status().isTerminal() || mayHaveLostVersions(job))) {
                job = gapped(job);
            }
            loaded = live(job, store.lastLogSeq(id), ancestors, tree);
        } catch (RuntimeException e) {
            trees.left(tree, true);
            throw e;
        }
        LiveJob kept = keep(loaded);
        if (kept != loaded) {
            trees.left(tree, false);
        }
        return kept;
    }

    private LiveJob keep(LiveJob loaded) {
        LiveJob raced = live.putIfAbsent(loaded.id, loaded);
        return raced != null ? raced : loaded;
    }

    private static Job gapped(Job job) {
        return job.toBuilder().version(job.version() + VERSION_GAP).build();
    }

    /**
     * Only unfinished jobs and parents (whose summaries go on changing) give out versions that are written behind;
     * the unfinished ones got their new version at the start.
     */
    private static boolean mayHaveLostVersions(Job job) {
        return job.status().isTerminal() && job.children() != null;
    }

    @Override
    public CompletableFuture<Void> delete(Job stored, Function<LiveJob, CompletableFuture<Void>> deletion) {
        return deletions.run(stored.id(), () -> {
            LiveJob lj = live.get(stored.id());
            if (lj == null) {
                lj = live(stored, 0, ancestorsOf(stored), null);
            }
            synchronized (lj) {
                detach(lj);
                return deletion.apply(lj);
            }
        });
    }

    /** Lets go of a job for good (holding a state the store refused, or fenced out). */
    void forget(LiveJob lj) {
        if (detach(lj)) {
            deleted(lj);
        }
    }

    /** A retired job's deletion was written or refused: it no longer keeps its tree (a cluster's) here. */
    void deleted(LiveJob lj) {
        if (lj.tree != null) {
            trees.left(lj.tree, true);
        }
    }

    private boolean detach(LiveJob lj) {
        synchronized (lj) {
            lj.retire();
            return live.remove(lj.id, lj);
        }
    }

    /**
     * The store gave these trees to other nodes: every job of them leaves memory, nothing of them is written.
     * Answers the jobs let go, for the writer to discard their unwritten progress.
     */
    List<LiveJob> dropTrees(Collection<String> roots) {
        if (roots.isEmpty()) {
            return List.of();
        }
        roots.forEach(trees::fencedOut);
        List<LiveJob> dropped = new ArrayList<>();
        for (LiveJob lj : live.values()) {
            if (lj.tree != null && roots.contains(lj.tree.root())) {
                forget(lj);
                dropped.add(lj);
            }
        }
        return dropped;
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
        storedChildren.forEach(parentId, child -> action.accept(newest(child)));
    }

    @Override
    public Set<String> descendantIds(String rootId) {
        Set<String> found = storedChildren.descendantIds(rootId);
        for (LiveJob lj : live.values()) {
            if (lj.ancestors.contains(rootId)) {
                found.add(lj.id); // created, not yet stored
            }
        }
        return found;
    }

    /** Lets go of jobs idle for {@code idle} by the engine's clock, unless they have writes pending. */
    void evictIdle(Duration idle, Predicate<LiveJob> hasPendingWrites) {
        long now = clock.millis();
        long idleMillis = idle.toMillis();
        evict(lj -> lj.idleMillis(now) >= idleMillis, hasPendingWrites);
    }

    /** Lets go of the jobs {@code which} picks, unless they have writes pending; answers how many it kept. */
    int evict(Predicate<LiveJob> which, Predicate<LiveJob> hasPendingWrites) {
        int kept = 0;
        for (LiveJob lj : live.values().stream().filter(which).toList()) {
            boolean pending;
            synchronized (lj) {
                pending = hasPendingWrites.test(lj);
                if (pending || !detach(lj)) {
                    kept += pending ? 1 : 0;
                    continue;
                }
            }
            deleted(lj);
        }
        return kept;
    }
}
