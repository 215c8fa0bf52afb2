package dev.herald.core.engine;

import dev.herald.core.cluster.Moved;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.port.WriteConflict;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A batch the store refused, split by job: a job named by the {@link WriteConflict} is
 * lost (its memory is not what the store holds) and all its queued changes are refused;
 * the changes of every other job are kept, to be written again at once. A tree fenced out
 * (another node owns it, docs/cluster.md §2.7) loses every job of it in the batch.
 */
record Conflicts(WriteConflict conflict, Set<LiveJob> lost, List<WriteQueue.Item> refused,
                 List<WriteQueue.Item> kept, List<LiveJob> keptFlushed) {

    static Conflicts of(WriteConflict conflict, List<WriteQueue.Item> items, List<LiveJob> flushed) {
        Set<LiveJob> lost = new HashSet<>();
        for (WriteQueue.Item item : items) {
            boolean stale = item.state() != null && conflict.staleJobs().contains(item.state().id());
            if (stale || (item.key() != null && conflict.holderOf(item.key()) != null)
                    || fencedOut(conflict, item.live())) {
                lost.add(item.live());
            }
        }
        for (LiveJob live : flushed) {
            if (conflict.staleJobs().contains(live.id) || fencedOut(conflict, live)) {
                lost.add(live);
            }
        }
        List<WriteQueue.Item> refused = new ArrayList<>();
        List<WriteQueue.Item> kept = new ArrayList<>();
        for (WriteQueue.Item item : items) {
            (item.live() != null && lost.contains(item.live()) ? refused : kept).add(item);
        }
        List<LiveJob> keptFlushed = flushed.stream().filter(live -> !lost.contains(live)).toList();
        return new Conflicts(conflict, lost, refused, kept, keptFlushed);
    }

    private static boolean fencedOut(WriteConflict conflict, LiveJob live) {
        return live != null && live.tree != null && conflict.fencedTrees().contains(live.tree.root());
    }

    /** A change of a tree this node has let go: it is refused, never written. */
    static boolean letGo(WriteQueue.Item item) {
        return item.live() != null && item.live().tree != null && item.live().tree.isGone();
    }

    /**
     * A creation whose idempotency key another job took is answered with that job; any other
     * refused change may be tried again, on the job as the store holds it.
     */
    Throwable refusal(WriteQueue.Item item) {
        String holder = item.key() == null ? null : conflict.holderOf(item.key());
        if (holder != null) {
            return new KeyTaken(holder);
        }
        return fencedOut(conflict, item.live()) ? moved()
                : new HeraldException(ErrorCode.UNAVAILABLE, "the job was changed elsewhere; try again");
    }

    /** The change was applied nowhere, because another node owns the job's tree now: the router re-runs it there. */
    static HeraldException moved() {
        return Moved.fenced();
    }
}
