package dev.herald.core.model;

import java.time.Instant;
import java.util.List;

/**
 * The full state of a job at one version. {@code overdue} and {@code stalled} are
 * the engine's judgement (API §10): running longer than its history's p90, and
 * silent longer than the stall threshold. {@code lease} is the claim a worker holds
 * (kept when the job ends, so its worker hears why), {@code nextAttemptAt} when a
 * delayed retry becomes claimable (API §9). Immutable: every change makes a new
 * {@code Job} with a higher {@code version}, so any event can carry it as a snapshot.
 */
public record Job(
        String id,
        String type,
        String name,
        String project,
        String owner,
        String parentId,
        JobStatus status,
        List<Stage> stages,
        Progress progress,
        ChildrenSummary children,
        Eta eta,
        RawJson result,
        JobError error,
        int attempt,
        int maxAttempts,
        boolean completeWithChildren,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        Instant updatedAt,
        long version,
        boolean overdue,
        boolean stalled,
        Lease lease,
        Instant nextAttemptAt) {

    public Job {
        stages = stages == null ? List.of() : List.copyOf(stages);
        if (progress == null) {
            progress = Progress.NONE;
        }
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Copies a job, changing what the caller sets. */
    public static final class Builder {
        private String id;
        private String type;
        private String name;
        private String project;
        private String owner;
        private String parentId;
        private JobStatus status;
        private List<Stage> stages;
        private Progress progress;
        private ChildrenSummary children;
        private Eta eta;
        private RawJson result;
        private JobError error;
        private int attempt;
        private int maxAttempts;
        private boolean completeWithChildren;
        private Instant createdAt;
        private Instant startedAt;
        private Instant finishedAt;
        private Instant updatedAt;
        private long version;
        private boolean overdue;
        private boolean stalled;
        private Lease lease;
        private Instant nextAttemptAt;

        public Builder() {
            this.status = JobStatus.PENDING;
            this.progress = Progress.NONE;
            this.stages = List.of();
            this.attempt = 1;
            this.maxAttempts = 1;
        }

        private Builder(Job j) {
            id = j.id;
            type = j.type;
            name = j.name;
            project = j.project;
            owner = j.owner;
            parentId = j.parentId;
            status = j.status;
            stages = j.stages;
            progress = j.progress;
            children = j.children;
            eta = j.eta;
            result = j.result;
            error = j.error;
            attempt = j.attempt;
            maxAttempts = j.maxAttempts;
            completeWithChildren = j.completeWithChildren;
            createdAt = j.createdAt;
            startedAt = j.startedAt;
            finishedAt = j.finishedAt;
            updatedAt = j.updatedAt;
            version = j.version;
            overdue = j.overdue;
            stalled = j.stalled;
            lease = j.lease;
            nextAttemptAt = j.nextAttemptAt;
        }

        public Builder id(String v) { id = v; return this; }
        public Builder type(String v) { type = v; return this; }
        public Builder name(String v) { name = v; return this; }
        public Builder project(String v) { project = v; return this; }
        public Builder owner(String v) { owner = v; return this; }
        public Builder parentId(String v) { parentId = v; return this; }
        public Builder status(JobStatus v) { status = v; return this; }
        public Builder stages(List<Stage> v) { stages = v; return this; }
        public Builder progress(Progress v) { progress = v; return this; }
        public Builder children(ChildrenSummary v) { children = v; return this; }
        public Builder eta(Eta v) { eta = v; return this; }
        public Builder result(RawJson v) { result = v; return this; }
        public Builder error(JobError v) { error = v; return this; }
        public Builder attempt(int v) { attempt = v; return this; }
        public Builder maxAttempts(int v) { maxAttempts = v; return this; }
        public Builder completeWithChildren(boolean v) { completeWithChildren = v; return this; }
        public Builder createdAt(Instant v) { createdAt = v; return this; }
        public Builder startedAt(Instant v) { startedAt = v; return this; }
        public Builder finishedAt(Instant v) { finishedAt = v; return this; }
        public Builder updatedAt(Instant v) { updatedAt = v; return this; }
        public Builder version(long v) { version = v; return this; }
        public Builder overdue(boolean v) { overdue = v; return this; }
        public Builder stalled(boolean v) { stalled = v; return this; }
        public Builder lease(Lease v) { lease = v; return this; }
        public Builder nextAttemptAt(Instant v) { nextAttemptAt = v; return this; }

        public Job build() {
            return new Job(id, type, name, project, owner, parentId, status, stages, progress, children, eta,
                    result, error, attempt, maxAttempts, completeWithChildren, createdAt, startedAt, finishedAt,
                    updatedAt, version, overdue, stalled, lease, nextAttemptAt);
        }
    }
}
