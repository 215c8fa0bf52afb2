package dev.herald.client;

import dev.herald.core.model.Job;

import java.util.List;

/**
 * A page of {@link Herald#list}: its jobs, newest first, and the cursor of the next page (null on the last one:
 * pass it to {@link JobFilter#cursor} to read on).
 */
public record JobList(List<Job> items, String nextCursor) {
    public JobList {
        items = List.copyOf(items);
    }
}
