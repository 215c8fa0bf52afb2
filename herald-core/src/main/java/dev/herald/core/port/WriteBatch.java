package dev.herald.core.port;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.model.RawJson;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One transaction's worth of changes: job states to upsert, retained events to
 * append (the store gives them their positions, in the order they were added; a
 * position they carry is ignored), idempotency keys and inputs to record and jobs to delete
 * with everything that belongs to them.
 */
public final class WriteBatch {
    private final List<Job> jobs = new ArrayList<>();
    private final List<JobEvent> events = new ArrayList<>();
    private final List<IdempotencyKey> keys = new ArrayList<>();
    private final List<String> deletions = new ArrayList<>();
    private final Map<String, RawJson> inputs = new LinkedHashMap<>();

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
        return jobs.isEmpty() && events.isEmpty() && keys.isEmpty() && deletions.isEmpty() && inputs.isEmpty();
    }
}
