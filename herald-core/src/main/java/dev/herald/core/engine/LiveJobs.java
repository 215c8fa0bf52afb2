package dev.herald.core.engine;

import dev.herald.core.model.Job;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The jobs in memory as the engine's helpers reach them: one to change under its
 * monitor, the children or the subtree of one. Every method may read the store and
 * so blocks: for the engine's own threads only.
 */
interface LiveJobs {
    /** The job in memory, loaded from the store if needed; fails with {@code not_found}. */
    LiveJob load(String id);

    /** Each child of the parent as it stands: the stored state, or the one in memory when that is newer. */
    void forEachChild(String parentId, Consumer<Job> action);

    /** Every descendant id, parents before their children: stored ones and those only in memory so far. */
    Set<String> descendantIds(String rootId);

    /**
     * Lets go of a stored job for good and queues its deletion: {@code deletion}, run under the monitor of the object
     * its last change queues under, retired (a new one when the job was not in memory). Until the deletion is written
     * or refused the job is not loaded again. Answers the deletion's answer.
     */
    CompletableFuture<Void> delete(Job stored, Function<LiveJob, CompletableFuture<Void>> deletion);
}
