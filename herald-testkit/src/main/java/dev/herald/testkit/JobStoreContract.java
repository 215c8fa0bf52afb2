package dev.herald.testkit;

import dev.herald.core.event.JobEvent;
import dev.herald.core.port.JobStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The behaviour every {@link JobStore} must have. An adapter's test extends this
 * class and says how to make a store; the in-memory store is the reference.
 *
 * <p>The cases live in one interface per section ({@link StoredJobsContract},
 * {@link JobListingContract}, {@link EventPositionsContract}, {@link JobLogsContract},
 * {@link IdempotencyKeysContract}, {@link JobRetentionContract}, {@link WriteBatchContract},
 * {@link WriteConflictsContract}, {@link RunHistoryContract}, {@link ClaimsContract});
 * this class runs them all on a new store for each test.
 */
public abstract class JobStoreContract implements StoredJobsContract, JobListingContract, EventPositionsContract,
        JobLogsContract, IdempotencyKeysContract, JobRetentionContract, WriteBatchContract, WriteConflictsContract,
        RunHistoryContract, ClaimsContract {
    private JobStore store;
    private long position;

    /** A new, empty store; called before each test. */
    protected abstract JobStore newStore() throws Exception;

    /** Called after each test, once the store is closed, to remove what {@link #newStore} made. */
    protected void cleanUp() throws Exception {
    }

    @BeforeEach
    void openStore() throws Exception {
        store = newStore();
    }

    @AfterEach
    void closeStore() throws Exception {
        try {
            if (store != null) {
                store.close();
            }
        } finally {
            cleanUp();
        }
    }

    @Override
    public final JobStore store() {
        return store;
    }

    @Override
    public final JobEvent positioned(JobEvent event) {
        return event.at(++position);
    }
}
