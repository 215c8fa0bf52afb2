package dev.herald.server.auth;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Where the key for a token comes from: one key for every token, or a JWKS's keys chosen by the token's kid. */
sealed interface JwtKeys {

    /** The key for a token with this {@code kid} (which may be null), or null when there is none. */
    JwtKey forKid(String kid);

    List<JwtKey> all();

    /** The algorithms tokens may use, in no particular order. */
    default Set<String> algorithms() {
        return all().stream().map(k -> k.alg().getName()).collect(Collectors.toUnmodifiableSet());
    }

    /** The key used whatever the token's kid: a secret, a PEM key, or a JWKS of one key without kid. */
    record Only(JwtKey key) implements JwtKeys {
        @Override
        public JwtKey forKid(String kid) {
            return key;
        }

        @Override
        public List<JwtKey> all() {
            return List.of(key);
        }
    }

    /** A JWKS's keys: a token must name its key, and an unknown kid finds none. */
    record ByKid(Map<String, JwtKey> keys) implements JwtKeys {
        public ByKid {
            keys = Map.copyOf(keys);
        }

        @Override
        public JwtKey forKid(String kid) {
            return kid == null ? null : keys.get(kid);
        }

        @Override
        public List<JwtKey> all() {
            return List.copyOf(keys.values());
        }
    }
}
