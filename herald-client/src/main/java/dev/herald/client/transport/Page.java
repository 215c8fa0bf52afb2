package dev.herald.client.transport;

import dev.herald.core.model.Job;

import java.util.List;

/** A page of {@code GET /jobs}: its jobs, and the cursor of the next page or null at the end. */
public record Page(List<Job> items, String nextCursor) {
    public Page {
        items = List.copyOf(items);
    }
}
