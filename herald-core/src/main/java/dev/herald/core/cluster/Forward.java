package dev.herald.core.cluster;

import dev.herald.core.command.ClaimRequest;
import dev.herald.core.command.LogEntry;
import dev.herald.core.command.NewJob;
import dev.herald.core.command.ProgressReport;
import dev.herald.core.engine.JobEngine;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobError;
import dev.herald.core.model.LogLine;
import dev.herald.core.model.RawJson;

import java.util.List;
import java.util.Optional;

/**
 * A command as it is sent to the node that owns its job's tree (docs/cluster.md §2.5): the public write's body,
 * which {@link Peers} carries, and the type of its answer.
 *
 * @param <T> what the command answers
 */
public sealed interface Forward<T> {

    /** The job whose tree decides where the command runs: the parent, for a child's creation. */
    String jobId();

    record Progress(String jobId, ProgressReport report) implements Forward<Long> { }

    record Start(String jobId) implements Forward<Job> { }

    record Complete(String jobId, RawJson result) implements Forward<Job> { }

    record Fail(String jobId, JobError error) implements Forward<Job> { }

    record Cancel(String jobId) implements Forward<Job> { }

    record Retry(String jobId, long delayMs) implements Forward<Job> { }

    record Release(String jobId) implements Forward<Job> { }

    record Heartbeat(String jobId) implements Forward<Void> { }

    record Log(String jobId, LogEntry entry) implements Forward<LogLine> { }

    /**
     * Retention's deletion of a finished job (docs/cluster.md §6), made by its tree's owner if still due there:
     * answers whether it was deleted.
     */
    record Expire(String jobId) implements Forward<Boolean> { }
    /**
     * A claim's move of the job it picked to running (API §9), with the claimer's request narrowed to its projects:
     * the job under its new lease, or empty when it is no longer queued and due or does not match.
     */
    record Claim(String jobId, ClaimRequest request) implements Forward<Optional<Job>> { }

    /**
     * A read, not a write: the states the owner holds in memory of these jobs of the tree of {@code jobId} (the
     * root), newer than the stored ones by up to a flush interval; a job it does not hold is left out.
     */
    record Newest(String jobId, List<String> ids) implements Forward<List<Job>> {
        public Newest {
            ids = List.copyOf(ids);
        }
    }

    /** A child's creation, with its owner and idempotency key as the receiving node resolved them. */
    record CreateChild(NewJob job) implements Forward<JobEngine.Created> {
        @Override
        public String jobId() {
            return job.parentId();
        }
    }
}
