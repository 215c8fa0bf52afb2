package dev.herald.core.port;

import java.util.List;
import java.util.Set;

/**
 * {@link JobStore#write} committed nothing because part of the batch contradicts
 * what the store holds; the rest may be written again without the parts named here.
 *
 * @param staleJobs the jobs the store holds at the batch's version or a newer one
 * @param takenKeys the batch's idempotency keys that another job holds, each with that job's id
 */
public final class WriteConflict extends RuntimeException {
    private final Set<String> staleJobs;
    private final List<WriteBatch.IdempotencyKey> takenKeys;

    public WriteConflict(Set<String> staleJobs, List<WriteBatch.IdempotencyKey> takenKeys) {
        super("the store refused a batch: stale versions of " + staleJobs + ", idempotency keys taken " + takenKeys);
        this.staleJobs = Set.copyOf(staleJobs);
        this.takenKeys = List.copyOf(takenKeys);
    }

    public Set<String> staleJobs() {
        return staleJobs;
    }

    /** Each key as the store holds it: the job id is the one of the job that has it. */
    public List<WriteBatch.IdempotencyKey> takenKeys() {
        return takenKeys;
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
