package dev.herald.testkit;

import dev.herald.core.auth.InMemoryKeyStore;
import dev.herald.core.auth.KeyStore;

/** Proves the key store contract against the reference it was written from. */
class InMemoryKeyStoreTest extends KeyStoreContract {
    @Override
    protected KeyStore newStore() {
        return new InMemoryKeyStore();
    }
}
