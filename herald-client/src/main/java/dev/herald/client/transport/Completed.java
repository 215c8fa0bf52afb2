package dev.herald.client.transport;

import dev.herald.core.model.Job;

import java.util.List;

/** A completed job, and the worker's next jobs its completion claimed, each under a lease of its own. */
public record Completed(Job job, List<Job> next) {
    public Completed {
        next = List.copyOf(next);
    }
}
