package dev.herald.client.transport;

import dev.herald.core.event.EventType;

import java.util.List;
import java.util.Set;

/**
 * What an event stream covers (API.md §3): some jobs ({@code jobs}, up to 1000), one job and everything below it
 * ({@code jobs} of one id with {@code descendants}), or every job of a {@code project}; {@code types} keeps only
 * those event types (null for all; {@code snapshot} always comes).
 */
public record EventQuery(List<String> jobs, boolean descendants, String project, Set<EventType> types) {

    public EventQuery {
        jobs = jobs == null ? List.of() : List.copyOf(jobs);
        types = types == null ? null : Set.copyOf(types);
        if ((project == null) == jobs.isEmpty() || (descendants && jobs.size() != 1)) {
            throw new IllegalArgumentException("a stream covers some jobs, one job's subtree or a project");
        }
    }
}
