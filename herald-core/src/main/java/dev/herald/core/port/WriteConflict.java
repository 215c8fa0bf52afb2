package dev.herald.core.port;

import java.util.List;
import java.util.Set;

/**
 * {@link JobStore#write} committed nothing because part of the batch contradicts
 * what the store holds; the rest may be written again without the parts named here.
 */
public final class WriteConflict extends RuntimeException {
    private final Set<String> staleJobs;
    private final List<WriteBatch.IdempotencyKey> takenKeys;
    private final Set<String> fencedTrees;

    /**
     * @param staleJobs the jobs the store holds at the batch's version or a newer one
     * @param takenKeys the batch's idempotency keys that another job holds, each with that job's id
     */
    public WriteConflict(Set<String> staleJobs, List<WriteBatch.IdempotencyKey> takenKeys) {
        this(staleJobs, takenKeys, Set.of());
    }

    private WriteConflict(Set<String> staleJobs, List<WriteBatch.IdempotencyKey> takenKeys, Set<String> fencedTrees) {
        super(fencedTrees.isEmpty()
                ? "the store refused a batch: stale versions of " + staleJobs + ", idempotency keys taken " + takenKeys
                : "the store refused a batch: trees " + fencedTrees + " are not this node's");
        this.staleJobs = Set.copyOf(staleJobs);
        this.takenKeys = List.copyOf(takenKeys);
        this.fencedTrees = Set.copyOf(fencedTrees);
    }

    /**
     * The batch fenced or claimed trees (the roots named) that another node owns, or nobody:
     * this node must drop them (docs/cluster.md §2.7).
     */
    public static WriteConflict fenced(Set<String> rootIds) {
        return new WriteConflict(Set.of(), List.of(), rootIds);
    }

    public Set<String> staleJobs() {
        return staleJobs;
    }

    /** Each key as the store holds it: the job id is the one of the job that has it. */
    public List<WriteBatch.IdempotencyKey> takenKeys() {
        return takenKeys;
    }

    /** The roots of the trees this node no longer owns; empty when the conflict is another kind. */
    public Set<String> fencedTrees() {
        return fencedTrees;
    }

    /** The id of the job that holds the key, or null when the key is not among the taken ones. */
    public String holderOf(WriteBatch.IdempotencyKey key) {
        for (WriteBatch.IdempotencyKey taken : takenKeys) {
            if (taken.project().equals(key.project()) && taken.key().equals(key.key())) {
                return taken.jobId();
            }
        }
        return null;
    }
}
