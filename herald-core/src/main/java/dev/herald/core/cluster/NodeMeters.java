package dev.herald.core.cluster;

import dev.herald.core.port.WriteConflict;

/**
 * What the engine of a node with a bus between nodes tells its meters (docs/cluster.md §7). Alone, or on a bus in
 * its process, the engine has {@link #NONE} and tells nothing.
 */
public interface NodeMeters {
    NodeMeters NONE = new NodeMeters() {
    };

    /** An event waited this long in the {@link EventOrder} for what it requires. */
    default void held(long nanos) {
    }

    /** Retained events read from the store because the bus had not brought them; reason gap, poll or reconnect. */
    default void caughtUp(String reason, int events) {
    }

    /** The store's head minus what this node has dispatched, as last read. */
    default void behind(long positions) {
    }

    /** The readers were told that events may have been lost (they get the newest states). */
    default void resynced() {
    }

    /** The store refused a batch: stale versions, idempotency keys taken, or trees fenced out. */
    default void conflict(WriteConflict conflict) {
    }
}
