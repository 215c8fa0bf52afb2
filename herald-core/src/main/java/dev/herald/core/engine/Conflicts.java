package dev.herald.core.engine;

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
 * the changes of every other job are kept, to be written again at once.
 */
record Conflicts(WriteConflict conflict, Set<LiveJob> lost, List<WriteQueue.Item> refused,
                 List<WriteQueue.Item> kept, List<LiveJob> keptFlushed) {

    static Conflicts of(WriteConflict conflict, List<WriteQueue.Item> items, List<LiveJob> flushed) {
        Set<LiveJob> lost = new HashSet<>();
        for (WriteQueue.Item item : items) {
            boolean stale = item.state() != null && conflict.staleJobs().contains(item.state().id());
            if (stale || (item.key() != null && conflict.holderOf(item.key()) != null)) {
                lost.add(item.live());
            }
        }
        for (LiveJob live : flushed) {
            if (conflict.staleJobs().contains(live.id)) {
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

    /**
     * A creation whose idempotency key another job took is answered with that job; any other
     * refused change may be tried again, on the job as the store holds it.
     */
    Throwable refusal(WriteQueue.Item item) {
        String holder = item.key() == null ? null : conflict.holderOf(item.key());
        return holder != null ? new KeyTaken(holder)
                : new HeraldException(ErrorCode.UNAVAILABLE, "the job was changed elsewhere; try again");
    }
}
