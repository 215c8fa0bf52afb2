package dev.herald.core.engine;

import dev.herald.core.model.Job;
import dev.herald.core.port.WriteBatch;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one commit of the {@link StoreWriter} writes: queued changes, and the newest states of the jobs flushed with
 * them. A state no newer than one already written is left out: the store holds it, or newer, of this node's making.
 * In a cluster each change is fenced on its tree, or claims it when the tree is new (docs/cluster.md §2.6).
 */
final class CommitBatch {
    private final List<WriteQueue.Item> items;
    private final Map<LiveJob, Job> flushedStates;
    private final WriteBatch batch = new WriteBatch();

    private CommitBatch(List<WriteQueue.Item> items, Map<LiveJob, Job> flushedStates) {
        this.items = items;
        this.flushedStates = flushedStates;
        for (WriteQueue.Item item : items) {
            fence(item.live());
            if (item.event() != null && item.event().type().isRetained()) {
                batch.event(item.event());
            }
            if (item.state() != null && item.state().version() > item.live().storedVersion) {
                batch.job(item.state());
                if (item.live().input != null) {
                    batch.input(item.live().id, item.live().input);
                }
            }
            if (item.key() != null) {
                batch.key(item.key());
            }
            if (item.deleteId() != null) {
                batch.delete(item.deleteId());
            }
        }
        flushedStates.forEach((live, state) -> {
            fence(live);
            batch.job(state);
        });
    }

    /** The changes, and of each flushed job its newest state when newer than the one written. */
    static CommitBatch of(List<WriteQueue.Item> items, List<LiveJob> flushed, WriteQueue writes) {
        Map<LiveJob, Job> states = new LinkedHashMap<>();
        for (LiveJob live : flushed) {
            Job state;
            synchronized (live) {
                if (live.heldBy != null) {
                    // its newest state (a cancelled parent's summary) must not reach the store before the group's
                    // transaction: a restart would find it cancelled over children still running
                    writes.markDirty(live);
                    continue;
                }
                state = live.job();
            }
            if (state.version() > live.storedVersion) {
                states.put(live, state);
            }
        }
        return new CommitBatch(items, states);
    }

    WriteBatch batch() {
        return batch;
    }

    /** The batch is committed: what it wrote is the newest each job's store holds. */
    void stored() {
        for (WriteQueue.Item item : items) {
            if (item.state() != null) {
                item.live().storedVersion = Math.max(item.live().storedVersion, item.state().version());
            }
            if (item.live() != null && item.live().tree != null) {
                item.live().tree.stored();
            }
        }
        flushedStates.forEach((live, state) -> live.storedVersion = Math.max(live.storedVersion, state.version()));
    }

    private void fence(LiveJob live) {
        if (live != null && live.tree != null) {
            if (live.tree.claims()) {
                batch.claim(live.tree.root());
            } else {
                batch.fence(live.tree.root());
            }
        }
    }
}
