package dev.herald.core.auth;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Keys in memory: for tests, and the reference for the key store contract. */
public final class InMemoryKeyStore implements KeyStore {
    private static final Comparator<ApiKey> NEWEST_FIRST = Comparator.comparing(ApiKey::createdAt)
            .thenComparing(ApiKey::id).reversed();

    private final Map<String, ApiKey> keys = new HashMap<>();

    @Override
    public synchronized void create(ApiKey key) {
        if (keys.putIfAbsent(key.id(), key) != null) {
            throw new IllegalArgumentException("an API key with id " + key.id() + " exists");
        }
    }

    @Override
    public synchronized Optional<ApiKey> find(String id) {
        return Optional.ofNullable(keys.get(id));
    }

    @Override
    public synchronized List<ApiKey> list() {
        return keys.values().stream().sorted(NEWEST_FIRST).toList();
    }

    @Override
    public synchronized boolean revoke(String id, Instant at) {
        ApiKey key = keys.get(id);
        if (key == null || !key.isActive(at)) {
            return false;
        }
        keys.put(id, key.revoked(at));
        return true;
    }
}
