package dev.herald.core.port;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.model.RawJson;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One transaction's worth of changes: job states to upsert, retained events to
 * append (the store gives them their positions, in the order they were added; a
 * position they carry is ignored), idempotency keys and inputs to record and jobs to delete
 * with everything that belongs to them. In a cluster (docs/cluster.md §2.6) it also names the job
 * trees it touches, fenced, and the new trees it claims; a store that is not in a cluster ignores both.
 */
public final class WriteBatch {
    private final List<Job> jobs = new ArrayList<>();
    private final List<JobEvent> events = new ArrayList<>();
    private final List<IdempotencyKey> keys = new ArrayList<>();
    private final List<String> deletions = new ArrayList<>();
    private final Map<String, RawJson> inputs = new LinkedHashMap<>();
    private final Set<String> fences = new TreeSet<>();
    private final Set<String> claims = new TreeSet<>();

    public record IdempotencyKey(String project, String key, String jobId) {
    }

    public WriteBatch job(Job job) {
        jobs.add(job);
        return this;
    }

    public WriteBatch event(JobEvent event) {
        events.add(event);
        return this;
    }

    public WriteBatch key(IdempotencyKey key) {
        keys.add(key);
        return this;
    }

    public WriteBatch delete(String jobId) {
        deletions.add(jobId);
        return this;
    }

    /** A created job's input (API §9), kept apart from its state and deleted with it. */
    public WriteBatch input(String jobId, RawJson input) {
        inputs.put(jobId, input);
        return this;
    }

    /**
     * The batch touches the tree of this root, which this node owns: the store commits it only
     * while this node still owns the tree, else throws {@link WriteConflict} naming it.
     */
    public WriteBatch fence(String rootId) {
        fences.add(rootId);
        return this;
    }

    /** A new root's tree becomes this node's in the transaction that creates it. */
    public WriteBatch claim(String rootId) {
        claims.add(rootId);
        return this;
    }

    /** The fenced roots, in order. */
    public Set<String> fences() {
        return fences;
    }

    /** The claimed roots, in order. */
    public Set<String> claims() {
        return claims;
    }

    public Map<String, RawJson> inputs() {
        return inputs;
    }

    public List<Job> jobs() {
        return jobs;
    }

    public List<JobEvent> events() {
        return events;
    }

    public List<IdempotencyKey> keys() {
        return keys;
    }

    public List<String> deletions() {
        return deletions;
    }

    public boolean isEmpty() {
        return jobs.isEmpty() && events.isEmpty() && keys.isEmpty() && deletions.isEmpty() && inputs.isEmpty()
                && claims.isEmpty();
    }
}
