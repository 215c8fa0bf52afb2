package dev.herald.core.engine;

import dev.herald.core.command.LogEntry;
import dev.herald.core.command.ProgressReport;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobError;
import dev.herald.core.model.LogLine;
import dev.herald.core.model.RawJson;

import java.util.concurrent.CompletableFuture;

/**
 * A worker's writes (API §9): the commands of {@link JobEngine}, each sent with the {@code Lease-Token} of a
 * claim. A write that holds the job's lease extends it; one that does not is refused with {@code lease_lost}.
 * Made with a null token, the writes are those of {@code JobEngine}, unchecked.
 */
public final class LeasedWrites {
    private final JobCommands commands;

    LeasedWrites(JobCommands commands) {
        this.commands = commands;
    }

    public CompletableFuture<Long> progress(String id, ProgressReport report) {
        return commands.progress(id, report);
    }

    public CompletableFuture<Job> start(String id) {
        return commands.start(id);
    }

    public CompletableFuture<Job> complete(String id, RawJson result) {
        return commands.complete(id, result);
    }

    public CompletableFuture<Job> fail(String id, JobError error) {
        return commands.fail(id, error);
    }

    public CompletableFuture<Job> cancel(String id) {
        return commands.cancel(id);
    }

    /** Back to the queue, claimable {@code delayMs} from now (0: at once). */
    public CompletableFuture<Job> retry(String id, long delayMs) {
        return commands.retry(id, delayMs);
    }

    /** The claimer gives the job back unrun: queued again without counting an attempt. */
    public CompletableFuture<Job> release(String id) {
        return commands.release(id);
    }

    public CompletableFuture<Void> heartbeat(String id) {
        return commands.heartbeat(id);
    }

    public CompletableFuture<LogLine> log(String id, LogEntry entry) {
        return commands.log(id, entry);
    }
}
