package dev.herald.testkit;

import dev.herald.core.port.EventBus;
import dev.herald.core.port.LocalEventBus;

/** Proves the contract against the reference it was written from. */
class LocalEventBusTest extends EventBusContract {
    @Override
    protected EventBus newBus() {
        return new LocalEventBus();
    }
}
