package dev.herald.server.auth;

import dev.herald.core.auth.ApiKey;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The secret each key was last verified with, so that a worker's every request is not hashed again: hashing the
 * secret and decoding the stored digest cost more than the rest of authenticating. An entry stands only for the
 * very key record it was verified against, so a key revoked, reloaded or changed in any way is hashed again
 * (and refused there if it must be); the comparison is constant time, like the digest's. Bounded by the keys
 * known: an entry is made only for a key that exists and whose secret was right.
 */
final class KnownSecrets {
    private record Known(ApiKey key, String secret) {
    }

    private final Map<String, Known> byId = new ConcurrentHashMap<>();

    /** Whether this secret was verified against this same key record. */
    boolean verified(ApiKey key, String secret) {
        Known known = key == null ? null : byId.get(key.id());
        return known != null && known.key() == key && sameText(known.secret(), secret);
    }

    void remember(ApiKey key, String secret) {
        byId.put(key.id(), new Known(key, secret));
    }

    void forget(String keyId) {
        byId.remove(keyId);
    }

    /** Looks at every character whatever differs, as {@link java.security.MessageDigest#isEqual} does. */
    private static boolean sameText(String a, String b) {
        if (a.length() != b.length()) {
            return false;
        }
        int diff = 0;
        for (int i = 0; i < a.length(); i++) {
            diff |= a.charAt(i) ^ b.charAt(i);
        }
        return diff == 0;
    }
}
