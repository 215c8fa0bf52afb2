package dev.herald.core.engine;

import dev.herald.core.cluster.Forward;
import dev.herald.core.cluster.Router;
import dev.herald.core.command.ClaimRequest;
import dev.herald.core.command.LogEntry;
import dev.herald.core.command.NewJob;
import dev.herald.core.command.ProgressReport;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobError;
import dev.herald.core.model.LogLine;
import dev.herald.core.model.RawJson;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A worker's writes (API §9): the commands of {@link JobEngine}, each sent with the {@code Lease-Token} of a
 * claim. A write that holds the job's lease extends it; one that does not is refused with {@code lease_lost}.
 * Made with a null token, the writes are those of {@code JobEngine}, unchecked. In a cluster with a
 * {@link Router}, a write on a tree another node owns runs there.
 */
public final class LeasedWrites {
    private final JobCommands commands;
    private final JobCreation creation;
    private final Retention retention;
    private final Claims claims;
    /** Null outside a cluster, and for writes forwarded here, which are never forwarded again. */
    private final Router router;
    private final String leaseToken;

    LeasedWrites(JobCommands commands, JobCreation creation, Retention retention, Claims claims, Router router,
                 String leaseToken) {
        this.commands = commands;
        this.creation = creation;
        this.retention = retention;
        this.claims = claims;
        this.router = router;
        this.leaseToken = leaseToken;
    }

    /** The same writes as the owner of the job's tree runs forwarded ones: here, never forwarded again. */
    public LeasedWrites here() {
        return router == null ? this : new LeasedWrites(commands, creation, retention, claims, null, leaseToken);
    }

    /** Creates the job (the lease token plays no part); a child on the node that owns its parent's tree. */
    public CompletableFuture<JobEngine.Created> create(NewJob cmd) {
        return router == null || cmd.parentId() == null ? creation.create(cmd)
                : router.route(new Forward.CreateChild(cmd), null, () -> creation.create(cmd));
    }

    /**
     * Moves a job a claim picked in the store to running for the claimer (API §9), on the node that owns its tree:
     * the job under its new lease, or empty when it is no longer queued and due or does not match the request.
     */
    public CompletableFuture<Optional<Job>> take(String id, ClaimRequest request) {
        return router == null ? claims.take(id, request)
                : router.route(new Forward.Claim(id, request), null, () -> claims.take(id, request));
    }

    public CompletableFuture<Long> progress(String id, ProgressReport report) {
        return router == null ? commands.progress(id, report)
                : router.route(new Forward.Progress(id, report), leaseToken, () -> commands.progress(id, report));
    }

    public CompletableFuture<Job> start(String id) {
        return router == null ? commands.start(id)
                : router.route(new Forward.Start(id), leaseToken, () -> commands.start(id));
    }

    public CompletableFuture<Job> complete(String id, RawJson result) {
        return router == null ? commands.complete(id, result)
                : router.route(new Forward.Complete(id, result), leaseToken, () -> commands.complete(id, result));
    }

    public CompletableFuture<Job> fail(String id, JobError error) {
        return router == null ? commands.fail(id, error)
                : router.route(new Forward.Fail(id, error), leaseToken, () -> commands.fail(id, error));
    }

    public CompletableFuture<Job> cancel(String id) {
        return router == null ? commands.cancel(id)
                : router.route(new Forward.Cancel(id), leaseToken, () -> commands.cancel(id));
    }

    /** Back to the queue, claimable {@code delayMs} from now (0: at once). */
    public CompletableFuture<Job> retry(String id, long delayMs) {
        return router == null ? commands.retry(id, delayMs)
                : router.route(new Forward.Retry(id, delayMs), leaseToken, () -> commands.retry(id, delayMs));
    }

    /** The claimer gives the job back unrun: queued again without counting an attempt. */
    public CompletableFuture<Job> release(String id) {
        return router == null ? commands.release(id)
                : router.route(new Forward.Release(id), leaseToken, () -> commands.release(id));
    }

    public CompletableFuture<Void> heartbeat(String id) {
        return router == null ? commands.heartbeat(id)
                : router.route(new Forward.Heartbeat(id), leaseToken, () -> commands.heartbeat(id));
    }

    public CompletableFuture<LogLine> log(String id, LogEntry entry) {
        return router == null ? commands.log(id, entry)
                : router.route(new Forward.Log(id, entry), leaseToken, () -> commands.log(id, entry));
    }

    /**
     * Retention's deletion of a finished job, made by the owner of its tree if the job finished a retention ago by
     * that node's clock (docs/cluster.md §6); answers whether it was. The lease token plays no part. Not a worker's
     * write: the cluster's.
     */
    public CompletableFuture<Boolean> expire(String id) {
        return router == null ? retention.expire(id)
                : router.route(new Forward.Expire(id), null, () -> retention.expire(id));
    }
}
