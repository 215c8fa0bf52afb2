package dev.herald.client;

import dev.herald.core.model.Job;

/**
 * A {@link Handler}'s view of the job it runs (SDK.md §7): a {@link Reporter} whose writes go under the job's
 * lease (each one extends it, and the runner's heartbeat renews it meanwhile), plus the job's input, attempt and
 * claim. The job's end (a cancel, or a lost lease: the job is queued again or another worker's) is seen as on any
 * reporter: {@link #isCancelled()}, {@link #throwIfCancelled()}, {@link #onCancel}; writes after it are dropped,
 * and the handler's thread is interrupted after the runner's grace period if it is still running.
 */
public interface JobContext extends Reporter {

    /**
     * The job's input as {@code type} (read by Jackson: a record, a bean, a {@code Map}, a {@code JsonNode}), or
     * null when the job has none. Read from the server at the first call.
     *
     * @throws IllegalArgumentException when the input cannot be read as {@code type}
     */
    <T> T input(Class<T> type);

    /** Which attempt this is, from 1 ({@code job().maxAttempts()} at most, unless the job was given back). */
    int attempt();

    /** The job as it was claimed: running, with its lease. */
    Job job();

    /**
     * Enqueues a child of this job for any worker: {@code spec} is created {@code queued} (unless it says
     * {@code running}) and returns once the server has it. A queued child's reporter comes back closed (its
     * {@code jobId()} is the child's): the worker that claims the child reports it.
     */
    @Override
    Reporter child(JobSpec spec);
}
