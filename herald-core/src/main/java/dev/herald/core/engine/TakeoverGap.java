package dev.herald.core.engine;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.core.port.JobStore;

import java.util.ArrayList;
import java.util.List;

/**
 * A tree taken over from a node that did not release it (docs/cluster.md §2.6): that node may have given out versions
 * of its jobs the store never saw. Loading gives each unfinished job {@link JobCache#VERSION_GAP} above its stored
 * version; here, at the takeover, every unfinished job of the tree is loaded and its state stored again at a new
 * version with a {@code progress} event, before this node runs a command on it. A reader holding a version the old
 * owner gave out converges at once, as {@link VersionRecovery} makes it on one node, not at the job's next change.
 */
final class TakeoverGap {
    private final JobStore store;
    private final JobCache cache;
    private final JobWrites writes;

    TakeoverGap(JobStore store, JobCache cache, JobWrites writes) {
        this.store = store;
        this.cache = cache;
        this.writes = writes;
    }

    /** The job just loaded; first, when it is the first of a tree taken over, the tree's jobs raised. Blocks. */
    LiveJob loaded(LiveJob lj) {
        if (lj.tree == null || !lj.tree.gapToStore()) {
            return lj;
        }
        String root = lj.tree.root();
        List<String> ids = new ArrayList<>();
        ids.add(root);
        ids.addAll(cache.descendantIds(root));
        for (String id : ids) {
            LiveJob job = cache.get(id);
            try {
                // a finished job is left in the store: it has no version to raise, and retention may be deleting it
                if (job == null && store.find(id).filter(j -> !j.status().isTerminal()).isPresent()) {
                    job = cache.load(id);
                }
            } catch (HeraldException gone) {
                continue; // deleted meanwhile, or the tree was fenced out: not this node's to raise
            }
            if (job == null) {
                continue;
            }
            synchronized (job) {
                Job state = job.job();
                if (job.isRetired() || state.status().isTerminal()) {
                    continue;
                }
                Job raised = state.toBuilder().version(state.version() + 1).build();
                job.set(raised);
                writes.submit(job, raised, JobEvent.progress(raised).within(job.ancestors), null);
            }
        }
        return lj;
    }
}
