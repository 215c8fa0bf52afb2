package dev.herald.server.auth;

import dev.herald.core.auth.Scope;
import dev.herald.core.engine.JobEngine;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;

import java.util.concurrent.CompletableFuture;

/**
 * What a caller may do with a job. A job it may not read is refused exactly like
 * an unknown one ({@code not_found}), so ids cannot be probed; a read-only
 * credential that tries to write is refused before any job is looked at.
 */
public final class Access {
    private final JobEngine engine;

    public Access(JobEngine engine) {
        this.engine = engine;
    }

    /**
     * The job, if the caller may read it; else fails with {@code not_found}, taking as long for a job of another
     * project as for an unknown id (see {@link JobEngine#read}).
     */
    public CompletableFuture<Job> read(Principal p, String jobId) {
        return engine.read(jobId, job -> readable(p, job));
    }

    /** Completes if the caller may change the job; refused as {@link #read} refuses a job it may not read. */
    public CompletableFuture<Void> write(Principal p, String jobId) {
        try {
            requireWrite(p);
        } catch (HeraldException e) {
            return CompletableFuture.failedFuture(e);
        }
        return engine.mayChange(jobId, job -> readable(p, job));
    }

    public static boolean mayWrite(Principal p) {
        return p.scope().allows(Scope.WRITE);
    }

    public static void requireWrite(Principal p) {
        if (!mayWrite(p)) {
            throw new HeraldException(ErrorCode.UNAUTHORIZED, "this token may only read");
        }
    }

    /** Whether the caller may read the job; only a {@code jobs} claim needs the job's ancestors. */
    public CompletableFuture<Boolean> readable(Principal p, Job job) {
        if (!p.mayReadProject(job.project())) {
            return CompletableFuture.completedFuture(false);
        }
        if (p.jobs() == null || p.jobs().contains(job.id())) {
            return CompletableFuture.completedFuture(true);
        }
        return engine.ancestors(job.id()).thenApply(a -> p.mayRead(job.id(), job.project(), a));
    }
}
