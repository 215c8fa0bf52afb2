package dev.herald.server.auth;

import dev.herald.core.auth.ApiKey;
import dev.herald.core.auth.KeyStore;
import dev.herald.core.auth.Scope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * API keys: made with a secret shown once, verified against the secret's stored
 * digest, revoked at once. Safe to call from any thread; {@link #verify} reads
 * the store only for an id it does not know, at most every two seconds.
 */
public final class ApiKeys {
    /** How every API key token begins: {@code hk_<id>_<secret>}. */
    public static final String PREFIX = "hk_";
    private static final Logger LOG = LoggerFactory.getLogger(ApiKeys.class);
    private static final int MAX_TEXT = 200;
    /** Compared against when the id is unknown, so that case does the same work as a wrong secret. */
    private static final byte[] NO_DIGEST = new byte[32];

    private final KeyStore store;
    private final Clock clock;
    private final KeyCache cache;
    private final KnownSecrets known = new KnownSecrets();
    private final List<Consumer<String>> revocationListeners = new CopyOnWriteArrayList<>();

    /** A new key and its token: the only time the token exists outside the client. */
    public record Created(ApiKey key, String token) {
        @Override
        public String toString() {
            return "Created[key=" + key + ", token=***]";
        }
    }

    public ApiKeys(KeyStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.cache = new KeyCache(store, clock, this::revoked);
    }

    /**
     * Makes a key.
     *
     * @param name      what to call it, or null
     * @param project   the project it reaches, or {@link ApiKey#ALL_PROJECTS}
     * @param expiresIn how long it works, or null for until revoked
     */
    public Created create(String name, String project, Scope scope, Duration expiresIn) {
        Objects.requireNonNull(scope, "scope");
        if (project == null || project.isBlank() || project.length() > MAX_TEXT) {
            throw new IllegalArgumentException("a key needs a project of 1 to " + MAX_TEXT + " characters, or *");
        }
        if (name != null && name.length() > MAX_TEXT) {
            throw new IllegalArgumentException("a key's name has at most " + MAX_TEXT + " characters");
        }
        if (expiresIn != null && (expiresIn.isNegative() || expiresIn.isZero())) {
            throw new IllegalArgumentException("a key's lifetime must be positive, not " + expiresIn);
        }
        // Milliseconds, the precision the stores keep, so the key returned equals the key read back.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        ApiKeyToken token = ApiKeyToken.generate();
        ApiKey key = new ApiKey(token.id(), name, project, scope, token.digestHex(), now,
                expiresIn == null ? null : now.plus(expiresIn), null);
        cache.create(key);
        LOG.info("Created API key {} ({} on project {})", key.id(), scope.wire(), project);
        return new Created(key, token.text());
    }

    /**
     * The active key this token names, or empty when the token is malformed, names
     * no key, has the wrong secret, or its key is revoked or expired. Never throws.
     */
    public Optional<ApiKey> verify(String token, Instant now) {
        Optional<ApiKeyToken> parsed = ApiKeyToken.parse(token);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        ApiKeyToken presented = parsed.get();
        ApiKey key = cache.get(presented.id());
        boolean matches = known.verified(key, presented.secret());
        if (!matches) {
            matches = sameDigest(presented.digest(), key);
            if (matches) {
                known.remember(key, presented.secret());
            }
        }
        return matches && key.isActive(now) ? Optional.of(key) : Optional.empty();
    }

    /** Every key, newest first, read from the store (so it shows keys other processes made). */
    public List<ApiKey> list() {
        return store.list();
    }

    /**
     * Revokes the key: from the moment this returns, its token is refused here, and
     * the revocation listeners have been told.
     *
     * @return true if the key was active and is now revoked
     */
    public boolean revoke(String id) {
        boolean revoked = cache.revoke(id, clock.instant().truncatedTo(ChronoUnit.MILLIS));
        if (revoked) {
            LOG.info("Revoked API key {}", id);
        }
        return revoked;
    }

    /** Re-reads every key from the store, so revocations by other processes take effect; call it on a timer. */
    public void refresh() {
        cache.reload();
    }

    /** Called with a key's id when it is revoked, through this class or (seen by {@link #refresh}) elsewhere. */
    public void addRevocationListener(Consumer<String> listener) {
        revocationListeners.add(Objects.requireNonNull(listener));
    }

    /** Constant time in the digest: {@link MessageDigest#isEqual} looks at every byte whatever differs. */
    static boolean sameDigest(byte[] presented, ApiKey key) {
        byte[] expected = key == null ? NO_DIGEST : HexFormat.of().parseHex(key.secretHash());
        return MessageDigest.isEqual(presented, expected) && key != null;
    }

    private void revoked(String id) {
        known.forget(id);
        for (Consumer<String> listener : revocationListeners) {
            try {
                listener.accept(id);
            } catch (RuntimeException e) {
                LOG.warn("A revocation listener failed for API key {}", id, e);
            }
        }
    }
}
