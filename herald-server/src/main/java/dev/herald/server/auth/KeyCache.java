package dev.herald.server.auth;

import dev.herald.core.auth.ApiKey;
import dev.herald.core.auth.KeyStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The key records, so that verifying a token seldom reads the store. Creating and
 * revoking write through. A known id is answered from memory; an unknown one
 * re-reads every key at most every {@link #RELOAD_INTERVAL}, so a flood of made-up
 * ids costs the store one query per interval, and a key made by another process
 * is found within it. Revocations made elsewhere are found by {@link #reload}.
 */
final class KeyCache {
    static final Duration RELOAD_INTERVAL = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(KeyCache.class);

    private final KeyStore store;
    private final Clock clock;
    private final Consumer<String> onRevoked;
    private final Map<String, ApiKey> keys = new ConcurrentHashMap<>();
    /** Guarded by this, like every store access: a reload that read the store before a revoke cannot undo it. */
    private Instant lastReload;

    KeyCache(KeyStore store, Clock clock, Consumer<String> onRevoked) {
        this.store = store;
        this.clock = clock;
        this.onRevoked = onRevoked;
    }

    /** The key with this id, or null; never throws, as a store that fails leaves only the keys already known. */
    ApiKey get(String id) {
        ApiKey key = keys.get(id);
        if (key != null) {
            return key;
        }
        List<String> revoked;
        synchronized (this) {
            if (keys.containsKey(id) || !reloadDue()) {
                return keys.get(id);
            }
            try {
                revoked = reloadLocked();
            } catch (RuntimeException e) {
                LOG.warn("Could not read the API keys: {}", e.toString());
                return null;
            }
        }
        revoked.forEach(onRevoked);
        return keys.get(id);
    }

    synchronized void create(ApiKey key) {
        store.create(key);
        keys.put(key.id(), key);
    }

    /** Revokes in the store and here at once; true if the store revoked it. */
    boolean revoke(String id, Instant at) {
        boolean revoked;
        boolean wasActiveHere;
        synchronized (this) {
            revoked = store.revoke(id, at);
            // Read back even when not revoked now: it may have been revoked by another process.
            wasActiveHere = replace(id, store.find(id).orElse(null));
        }
        if (revoked || wasActiveHere) {
            onRevoked.accept(id);
        }
        return revoked;
    }

    /** Reads every key from the store, telling of keys known unrevoked here that are revoked (or gone) there. */
    void reload() {
        List<String> revoked;
        synchronized (this) {
            revoked = reloadLocked();
        }
        revoked.forEach(onRevoked);
    }

    private List<String> reloadLocked() {
        // Taken before reading, so a store that fails is asked again only after the interval.
        lastReload = clock.instant();
        List<ApiKey> fresh = store.list();
        List<String> revoked = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (ApiKey key : fresh) {
            ids.add(key.id());
            if (replace(key.id(), key)) {
                revoked.add(key.id());
            }
        }
        for (String gone : List.copyOf(keys.keySet())) {
            if (!ids.contains(gone) && replace(gone, null)) {
                revoked.add(gone);
            }
        }
        return revoked;
    }

    /** Puts (or with null, removes) the record; true if that ends a key that was unrevoked here. */
    private boolean replace(String id, ApiKey fresh) {
        ApiKey old = fresh == null ? keys.remove(id) : keys.put(id, fresh);
        return old != null && old.revokedAt() == null && (fresh == null || fresh.revokedAt() != null);
    }

    private boolean reloadDue() {
        if (lastReload == null) {
            return true;
        }
        Duration since = Duration.between(lastReload, clock.instant());
        // A clock set back would otherwise stop reloads until it caught up.
        return since.isNegative() || since.compareTo(RELOAD_INTERVAL) >= 0;
    }
}
