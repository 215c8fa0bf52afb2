package dev.herald.core.cluster;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Job id to {@link Placement} (docs/cluster.md §2.5): from memory, else one read of the store.
 * Placements never change, so a cached one is never stale; the cache keeps the most recently
 * used ones, up to its capacity. A job not found is not remembered: it may be created next.
 */
public final class Placements {
    private final Source source;
    private final Map<String, Placement> cache;

    /** Reads one job's placement from the store, in one statement. */
    @FunctionalInterface
    public interface Source {
        Optional<Placement> read(String jobId);
    }

    public Placements(Source source, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a placement cache holds at least one, not " + capacity);
        }
        this.source = source;
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Placement> eldest) {
                return size() > capacity;
            }
        };
    }

    public Optional<Placement> of(String jobId) {
        Placement known = cached(jobId);
        if (known != null) {
            return Optional.of(known);
        }
        // read outside the lock: two threads may read one job at once, and both find the same
        Optional<Placement> read = source.read(jobId);
        read.ifPresent(this::remember);
        return read;
    }

    /** The placement if memory has it, else null: never a read. */
    public Placement cached(String jobId) {
        synchronized (cache) {
            return cache.get(jobId);
        }
    }

    /** Remembers a placement known without a read, such as a job this node just created. */
    public void remember(Placement placement) {
        synchronized (cache) {
            cache.put(placement.jobId(), placement);
        }
    }

    /** Forgets a deleted job. */
    public void forget(String jobId) {
        synchronized (cache) {
            cache.remove(jobId);
        }
    }
}
