package dev.herald.testkit;

import dev.herald.core.auth.ApiKey;
import dev.herald.core.auth.KeyStore;
import dev.herald.core.auth.Scope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

import static dev.herald.testkit.TestJobs.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The behaviour every {@link KeyStore} must have. An adapter's test extends this
 * class and says how to make a store; the in-memory store is the reference.
 */
public abstract class KeyStoreContract {
    private static final SecureRandom RANDOM = new SecureRandom();

    protected KeyStore store;

    /** A new, empty store; called before each test. */
    protected abstract KeyStore newStore() throws Exception;

    /** Called after each test to close and remove what {@link #newStore} made. */
    protected void cleanUp() throws Exception {
    }

    @BeforeEach
    void openStore() throws Exception {
        store = newStore();
    }

    @AfterEach
    void closeStore() throws Exception {
        cleanUp();
    }

    /** A key with a random id and digest, made at {@code createdAt}; times have millisecond precision. */
    protected static ApiKey key(Instant createdAt, Instant expiresAt) {
        byte[] digest = new byte[32];
        RANDOM.nextBytes(digest);
        String id = HexFormat.of().formatHex(digest, 0, 6);
        return new ApiKey(id, "key " + id, "acme", Scope.WRITE, HexFormat.of().formatHex(digest), createdAt,
                expiresAt, null);
    }

    private static ApiKey key(String id, Instant createdAt) {
        return new ApiKey(id, null, "acme", Scope.READ, key(createdAt, null).secretHash(), createdAt, null, null);
    }

    @Test
    void aKeyIsFoundAsItWasCreated() {
        ApiKey plain = key(T0, null);
        ApiKey full = new ApiKey("zyxwvutsrqpo", "deploys", ApiKey.ALL_PROJECTS, Scope.ADMIN, "0f".repeat(32),
                T0.plusMillis(1), T0.plus(Duration.ofDays(30)), null);
        ApiKey unnamed = new ApiKey("aaaaaaaaaaaa", null, "globex", Scope.READ, "e3".repeat(32), T0, null, null);
        store.create(plain);
        store.create(full);
        store.create(unnamed);

        assertThat(store.find(plain.id())).contains(plain);
        assertThat(store.find(full.id())).contains(full);
        assertThat(store.find(unnamed.id())).contains(unnamed);
    }

    @Test
    void anUnknownIdIsNotFound() {
        store.create(key(T0, null));
        assertThat(store.find("nosuchkey000")).isEmpty();
        assertThat(store.list()).hasSize(1);
    }

    @Test
    void anIdIsNeverTakenTwice() {
        ApiKey first = key(T0, null);
        ApiKey second = new ApiKey(first.id(), "other", "globex", Scope.ADMIN, "00".repeat(32), T0.plusSeconds(1),
                null, null);
        store.create(first);

        assertThatThrownBy(() -> store.create(second)).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.find(first.id())).contains(first);
        assertThat(store.list()).containsExactly(first);
    }

    @Test
    void theListIsNewestFirstAndKeepsRevokedAndExpiredKeys() {
        Instant later = T0.plusSeconds(10);
        ApiKey oldest = key(T0, T0.plusSeconds(1));
        ApiKey a = key("aaaaaaaaaaaa", later);
        ApiKey m = key("mmmmmmmmmmmm", later);
        ApiKey z = key("zzzzzzzzzzzz", later);
        ApiKey newest = key(T0.plusSeconds(20), null);
        for (ApiKey k : new ApiKey[]{m, a, oldest, newest, z}) {
            store.create(k);
        }
        assertThat(store.revoke(newest.id(), T0.plusSeconds(30))).isTrue();

        // Keys made in the same millisecond: the greater id first, as for jobs.
        assertThat(store.list()).extracting(ApiKey::id)
                .containsExactly(newest.id(), z.id(), m.id(), a.id(), oldest.id());
    }

    @Test
    void anEmptyStoreListsNothing() {
        assertThat(store.list()).isEmpty();
    }

    @Test
    void revokingAnActiveKeyRecordsWhenAndHappensOnce() {
        ApiKey key = key(T0, T0.plus(Duration.ofDays(1)));
        ApiKey other = key(T0, null);
        store.create(key);
        store.create(other);
        Instant at = T0.plusSeconds(60);

        assertThat(store.revoke(key.id(), at)).isTrue();
        assertThat(store.find(key.id())).contains(key.revoked(at));
        assertThat(store.revoke(key.id(), at.plusSeconds(1))).isFalse();
        assertThat(store.find(key.id()).orElseThrow().revokedAt()).isEqualTo(at);
        assertThat(store.find(other.id())).contains(other);
    }

    @Test
    void anUnknownOrExpiredKeyIsNotRevoked() {
        ApiKey expiring = key(T0, T0.plusSeconds(5));
        store.create(expiring);

        assertThat(store.revoke("nosuchkey000", T0)).isFalse();
        assertThat(store.revoke(expiring.id(), T0.plusSeconds(5))).isFalse();
        assertThat(store.find(expiring.id())).contains(expiring);
        assertThat(store.list()).containsExactly(expiring);
    }
}
