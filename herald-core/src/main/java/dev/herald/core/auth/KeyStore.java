package dev.herald.core.auth;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where API keys live. Keys are never deleted: a revoked key stays listed, so its id is never reused. */
public interface KeyStore {

    /**
     * Stores a new key.
     *
     * @throws IllegalArgumentException if a key with its id exists; the stored one is kept
     */
    void create(ApiKey key);

    Optional<ApiKey> find(String id);

    /** Every key, revoked and expired ones too, newest first (then by id, descending). */
    List<ApiKey> list();

    /**
     * Marks the key revoked at {@code at} if it is active then; an expired or
     * already revoked key is left as it is.
     *
     * @return true if the key was active and is now revoked
     */
    boolean revoke(String id, Instant at);
}
