package dev.herald.core.engine;

import dev.herald.core.cluster.EventOrder;
import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.port.JobStore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The store as {@link EventOrder} reads it: the retained events the bus missed, with the ancestors the store does
 * not keep with them, so subtree readers get them too. Blocks.
 */
final class StoredEvents implements EventOrder.Source {
    private final JobStore store;
    private final JobCache cache;

    StoredEvents(JobStore store, JobCache cache) {
        this.store = store;
        this.cache = cache;
    }

    @Override
    public long head() {
        return store.lastPosition();
    }

    @Override
    public List<JobEvent> eventsBetween(long after, long upTo, int limit) {
        List<JobEvent> events = store.eventsBetween(after, upTo, limit);
        Map<String, List<String>> ancestors = new HashMap<>();
        List<JobEvent> placed = new ArrayList<>(events.size());
        for (JobEvent e : events) {
            placed.add(e.within(ancestors.computeIfAbsent(e.jobId(), id -> ancestorsOf(e))));
        }
        return placed;
    }

    private List<String> ancestorsOf(JobEvent e) {
        Job job = e.job() != null ? e.job() : store.find(e.jobId()).orElse(null);
        return job == null ? List.of() : cache.ancestorsOf(job);
    }
}
