package dev.herald.testkit;

import dev.herald.core.port.InMemoryJobStore;
import dev.herald.core.port.JobStore;

/** The reference as two nodes would share it: one store, written from both. */
class InMemorySharedStoreTest extends SharedStoreContract {
    private JobStore store;

    @Override
    protected JobStore newStore() {
        store = new InMemoryJobStore();
        return store;
    }

    @Override
    protected JobStore anotherNode() {
        return store;
    }
}
