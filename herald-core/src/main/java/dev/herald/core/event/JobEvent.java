package dev.herald.core.event;

import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLine;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Something that happened to a job. Every event but {@code log} and {@code deleted}
 * carries the job's full state at {@code version}.
 *
 * <p>{@code position} is the event's place in this node's stream: for a retained
 * event its own sequence number; for any other, the sequence of the last retained
 * event published before it. A reader that has an event with position P has every
 * retained event up to P of its jobs (see {@link StreamCursor}).
 *
 * @param job     the state, or null for {@code log} and {@code deleted}
 * @param from    for {@code status}: the previous status, null on creation
 * @param to      for {@code status}: the new status
 * @param log     for {@code log}: the line
 * @param project the job's project, so streams can filter without the state
 * @param ancestors the job's parent, its parent and so on, so subtree streams find it; empty for a root
 *                  (not stored: replay knows its jobs)
 * @param json    the event's API JSON with its whole result, as the node that published it made it, so readers on
 *                other nodes are not sent a second encoding (docs/cluster.md §4.1); null when not made yet. A
 *                cache of the event's form, not part of it: equality leaves it out
 */
public record JobEvent(
        EventType type,
        String jobId,
        String project,
        long version,
        Instant time,
        Job job,
        JobStatus from,
        JobStatus to,
        LogLine log,
        long position,
        List<String> ancestors,
        String json) {

    public JobEvent {
        ancestors = ancestors == null ? List.of() : ancestors;
    }

    public JobEvent(EventType type, String jobId, String project, long version, Instant time, Job job,
                    JobStatus from, JobStatus to, LogLine log, long position, List<String> ancestors) {
        this(type, jobId, project, version, time, job, from, to, log, position, ancestors, null);
    }

    public static JobEvent snapshot(Job job, long position) {
        return new JobEvent(EventType.SNAPSHOT, job.id(), job.project(), job.version(), job.updatedAt(), job,
                null, null, null, position, List.of());
    }

    public static JobEvent status(Job job, JobStatus from) {
        return new JobEvent(EventType.STATUS, job.id(), job.project(), job.version(), job.updatedAt(), job,
                from, job.status(), null, 0, List.of());
    }

    public static JobEvent progress(Job job) {
        return new JobEvent(EventType.PROGRESS, job.id(), job.project(), job.version(), job.updatedAt(), job,
                null, null, null, 0, List.of());
    }

    public static JobEvent log(Job job, LogLine line) {
        return new JobEvent(EventType.LOG, job.id(), job.project(), job.version(), line.time(), null,
                null, null, line, 0, List.of());
    }

    /** The deletion is the job's last change, so it has the next version: readers that hold the last state take it. */
    public static JobEvent deleted(Job job, Instant time) {
        return new JobEvent(EventType.DELETED, job.id(), job.project(), job.version() + 1, time, null,
                null, null, null, 0, List.of());
    }

    /** The JSON carries neither position nor ancestors, so it stays with the event as they change. */
    public JobEvent at(long newPosition) {
        return new JobEvent(type, jobId, project, version, time, job, from, to, log, newPosition, ancestors, json);
    }

    public JobEvent within(List<String> jobAncestors) {
        return new JobEvent(type, jobId, project, version, time, job, from, to, log, position, jobAncestors, json);
    }

    public JobEvent withJson(String made) {
        return new JobEvent(type, jobId, project, version, time, job, from, to, log, position, ancestors, made);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JobEvent e && type == e.type && jobId.equals(e.jobId) && Objects.equals(project, e.project)
                && version == e.version && Objects.equals(time, e.time) && Objects.equals(job, e.job)
                && from == e.from && to == e.to && Objects.equals(log, e.log) && position == e.position
                && ancestors.equals(e.ancestors);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, jobId, project, version, time, job, from, to, log, position, ancestors);
    }

    public static JobEvent children(Job job) {
        return new JobEvent(EventType.CHILDREN, job.id(), job.project(), job.version(), job.updatedAt(), job,
                null, null, null, 0, List.of());
    }
}
