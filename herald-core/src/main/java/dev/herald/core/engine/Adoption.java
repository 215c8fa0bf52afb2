package dev.herald.core.engine;

import dev.herald.core.cluster.Moved;
import dev.herald.core.cluster.Ownership;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The tree adoption duty (docs/cluster.md §6): trees whose owner is gone are claimed here (an unclean takeover,
 * whose claim queues the tree's unfinished parents for a recount, §5), their jobs that may have given out
 * versions the store never saw are loaded at the takeover's gap and written so, and once that and the recount
 * are written the tree is let go; the rows of nodes that are gone and own nothing are deleted. Without it a tree
 * nobody touches after its owner died keeps a parent unfinished whose last child ended just before.
 */
final class Adoption {
    /** Trees adopted per run: the rest wait for the next, two seconds on. */
    private static final int PER_RUN = 100;

    private final Ownership ownership;
    private final JobCache cache;
    private final WriteQueue writes;
    private final TakeoverGap gap;
    /** Roots adopted and not yet let go; touched by the maintenance thread only. */
    private final Set<String> adopted = new LinkedHashSet<>();

    Adoption(Ownership ownership, JobCache cache, WriteQueue writes, TakeoverGap gap) {
        this.ownership = ownership;
        this.cache = cache;
        this.writes = writes;
        this.gap = gap;
    }

    /** One run, on the duty's holder; blocks. */
    void run() {
        // adopted at an earlier run, two seconds ago at least: the recount's tick and flush are long done
        adopted.removeIf(root -> cache.evict(lj -> lj.tree != null && lj.tree.root().equals(root),
                writes::hasPendingWrites) == 0);
        for (String root : ownership.orphaned(PER_RUN)) {
            try {
                gap.loaded(cache.load(root));
                storeFinishedParents(root);
                adopted.add(root);
            } catch (Moved taken) {
                // another node was first
            } catch (HeraldException e) {
                if (e.code() != ErrorCode.NOT_FOUND) {
                    throw e;
                }
                // the row of a tree whose root is deleted: taken, to be let go at once
                if (ownership.claim(root).mine()) {
                    ownership.release(root);
                }
            }
        }
        ownership.deleteDeadNodes();
    }

    /**
     * A finished parent's summary is written behind too, so it may lag what the dead owner gave out: loaded at the
     * gap and written so before the tree is let go. (A command's load leaves it: its next change stores the gap.)
     */
    private void storeFinishedParents(String root) {
        List<String> ids = new ArrayList<>();
        ids.add(root);
        ids.addAll(cache.descendantIds(root));
        for (String id : ids) {
            try {
                LiveJob lj = cache.load(id);
                Job job = lj.job();
                if (job.status().isTerminal() && job.children() != null) {
                    writes.markDirty(lj);
                }
            } catch (HeraldException gone) {
                // deleted meanwhile, or the tree lost: nothing to store
            }
        }
    }
}
