package dev.herald.core.engine;

import dev.herald.core.cluster.OwnedTree;
import dev.herald.core.cluster.OwnedTrees;
import dev.herald.core.command.NewJob;
import dev.herald.core.engine.JobEngine.Created;
import dev.herald.core.event.JobEvent;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.Progress;
import dev.herald.core.port.JobStore;
import dev.herald.core.port.WriteBatch;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Creating jobs. A creation is durable before it is answered; one with an
 * idempotency key creates at most one job per key and project, however many
 * requests race with it; a child is created under its parent's monitor.
 */
final class JobCreation {
    private final JobStore store;
    private final JobCache cache;
    private final JobWrites writes;
    private final ChildrenAggregator children;
    private final JobCommands commands;
    private final JobReads jobs;
    private final Clock clock;
    private final Executor reads;
    /** The creation running for each project and idempotency key, so racing requests share its answer. */
    private final ConcurrentHashMap<String, CompletableFuture<Created>> creating = new ConcurrentHashMap<>();

    JobCreation(JobStore store, JobCache cache, JobWrites writes, ChildrenAggregator children, JobCommands commands,
                JobReads jobs, Clock clock, Executor reads) {
        this.store = store;
        this.cache = cache;
        this.writes = writes;
        this.children = children;
        this.commands = commands;
        this.jobs = jobs;
        this.clock = clock;
        this.reads = reads;
    }

    CompletableFuture<Created> create(NewJob cmd) {
        if (cmd.idempotencyKey() == null) {
            return insertUnderParent(cmd);
        }
        if (cmd.parentId() != null) {
            // a child lives in its parent's project, so that is where its idempotency key is kept and looked up
            return jobs.get(cmd.parentId()).thenCompose(p -> createOnce(cmd.inProject(p.project())));
        }
        return createOnce(cmd);
    }

    private CompletableFuture<Created> createOnce(NewJob cmd) {
        String slot = cmd.project() + '\u0000' + cmd.idempotencyKey();
        CompletableFuture<Created> mine = new CompletableFuture<>();
        CompletableFuture<Created> running = creating.putIfAbsent(slot, mine);
        if (running != null) {
            return running.thenApply(c -> new Created(c.job(), false));
        }
        CompletableFuture.supplyAsync(() -> store.jobIdForIdempotencyKey(cmd.project(), cmd.idempotencyKey()), reads)
                .thenCompose(existing -> existing.isPresent()
                        ? existing(existing.get())
                        : insertUnderParent(cmd).exceptionallyCompose(this::existingIfKeyTaken))
                .whenComplete((c, e) -> {
                    creating.remove(slot, mine);
                    if (e != null) {
                        mine.completeExceptionally(e);
                    } else {
                        mine.complete(c);
                    }
                });
        return mine;
    }

    private CompletableFuture<Created> existing(String jobId) {
        return jobs.get(jobId).thenApply(j -> new Created(j, false));
    }

    /** Another node created a job with this key meanwhile: this creation was dropped, and answers that job. */
    private CompletableFuture<Created> existingIfKeyTaken(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause instanceof KeyTaken taken ? existing(taken.jobId) : CompletableFuture.failedFuture(cause);
    }

    /**
     * A child is created under its parent's monitor, so a cancel of the parent cannot miss it, and the parent
     * knows of it from then on: it cannot finish by its children while one is still being created.
     */
    private CompletableFuture<Created> insertUnderParent(NewJob cmd) {
        if (cmd.parentId() == null) {
            // a new root claims its tree: not while this node's lease has lapsed
            return cache.mayAct() ? insert(cmd, List.of(), null) : CompletableFuture.failedFuture(OwnedTrees.lapsed());
        }
        return commands.withLive(cmd.parentId(), parent -> {
            Job p = parent.job();
            if (p.status().isTerminal()) {
                throw HeraldException.finished(p.status());
            }
            List<String> ancestors = new ArrayList<>(parent.ancestors.size() + 1);
            ancestors.add(p.id());
            ancestors.addAll(parent.ancestors);
            parent.childrenBeingCreated++;
            CompletableFuture<Created> created;
            try {
                created = insert(cmd.inProject(p.project()), ancestors, parent.tree);
            } catch (RuntimeException e) {
                parent.childrenBeingCreated--;
                throw e;
            }
            return created.whenComplete((c, e) -> {
                synchronized (parent) {
                    parent.childrenBeingCreated--;
                    if (c != null) {
                        parent.childrenCreated++;
                        if (parent.tally != null) {
                            parent.tally.see(c.job());
                        }
                    }
                }
                if (e != null) {
                    children.recount(parent.id);
                }
            });
        });
    }

    private CompletableFuture<Created> insert(NewJob cmd, List<String> ancestors, OwnedTree parentTree) {
        Instant now = clock.instant();
        Job job = new Job.Builder()
                .id(IdGenerator.newJobId()).type(cmd.type()).name(cmd.name()).project(cmd.project())
                .owner(cmd.owner()).parentId(cmd.parentId()).status(cmd.status()).stages(cmd.stages())
                .progress(new Progress(null, null, null, cmd.total(), cmd.unit(), 0, null, cmd.metadata()))
                .maxAttempts(cmd.maxAttempts()).completeWithChildren(cmd.completeWithChildren())
                .createdAt(now).updatedAt(now).startedAt(cmd.status() == JobStatus.RUNNING ? now : null)
                .version(1).build();
        LiveJob lj = cache.add(job, ancestors, parentTree);
        if (job.status() == JobStatus.RUNNING) {
            lj.timeline.started(now.toEpochMilli(), job);
        }
        WriteBatch.IdempotencyKey key = cmd.idempotencyKey() == null ? null
                : new WriteBatch.IdempotencyKey(cmd.project(), cmd.idempotencyKey(), job.id());
        synchronized (lj) {
            lj.input = cmd.input();
            return writes.submit(lj, job, JobEvent.status(job, null).within(ancestors), key)
                    .thenApply(v -> {
                        lj.input = null;
                        children.changed(job);
                        return new Created(job, true);
                    });
        }
    }
}
