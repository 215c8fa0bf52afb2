package dev.herald.testkit;

import dev.herald.core.port.InMemoryJobStore;
import dev.herald.core.port.JobStore;

/** Proves the contract against the reference it was written from. */
class InMemoryJobStoreTest extends JobStoreContract {
    @Override
    protected JobStore newStore() {
        return new InMemoryJobStore();
    }
}
