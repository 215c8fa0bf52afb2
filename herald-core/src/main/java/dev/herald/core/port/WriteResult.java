package dev.herald.core.port;

import dev.herald.core.event.JobEvent;

import java.util.List;

/**
 * What {@link JobStore#write} committed: the batch's events as stored, in the batch's
 * order, each at the position the store gave it. The positions follow one another
 * and come after every position committed before.
 */
public record WriteResult(List<JobEvent> events) {
    public static final WriteResult NONE = new WriteResult(List.of());

    public WriteResult {
        events = List.copyOf(events);
    }
}
