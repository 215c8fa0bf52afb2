package dev.herald.server.auth;

import dev.herald.core.auth.ApiKey;
import dev.herald.core.auth.InMemoryKeyStore;
import dev.herald.core.auth.KeyStore;
import dev.herald.core.auth.Scope;
import dev.herald.core.time.SettableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiKeysTest {
    private static final Instant T0 = Instant.parse("2025-03-14T09:26:53.589123Z");

    private final SettableClock clock = new SettableClock(T0);
    private final CountingKeyStore store = new CountingKeyStore(new InMemoryKeyStore());
    private final ApiKeys keys = new ApiKeys(store, clock);

    @Test
    void aTokenIsHkThenTheIdThenA32ByteSecret() {
        ApiKeys.Created created = keys.create("ci", "acme", Scope.WRITE, null);

        assertThat(created.token()).matches("hk_[a-z2-7]{12}_[A-Za-z0-9_-]{43}");
        assertThat(created.token().substring(3, 15)).isEqualTo(created.key().id());
        assertThat(Base64.getUrlDecoder().decode(secretOf(created.token()))).hasSize(32);
        assertThat(created.key()).isEqualTo(new ApiKey(created.key().id(), "ci", "acme", Scope.WRITE,
                created.key().secretHash(), Instant.parse("2025-03-14T09:26:53.589Z"), null, null));
    }

    @Test
    void theSecretIsShownOnceAndOnlyItsDigestIsKept() throws Exception {
        ApiKeys.Created created = keys.create("ci", "acme", Scope.READ, Duration.ofDays(30));
        String secret = secretOf(created.token());

        ApiKey stored = store.find(created.key().id()).orElseThrow();
        assertThat(stored).isEqualTo(created.key());
        assertThat(stored.secretHash()).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII))));
        assertThat(stored.toString()).doesNotContain(secret);
        assertThat(keys.list()).containsExactly(stored);
        assertThat(created.toString()).doesNotContain(secret).contains("token=***");
        assertThat(ApiKeyToken.parse(created.token()).orElseThrow().toString()).doesNotContain(secret);

        ApiKeys.Created another = keys.create("ci", "acme", Scope.READ, null);
        assertThat(another.key().id()).isNotEqualTo(created.key().id());
        assertThat(secretOf(another.token())).isNotEqualTo(secret);
    }

    @Test
    void theRightTokenVerifiesAsItsKey() {
        ApiKeys.Created created = keys.create(null, ApiKey.ALL_PROJECTS, Scope.ADMIN, null);

        assertThat(keys.verify(created.token(), clock.instant())).contains(created.key());
    }

    @Test
    void aSecretWrongInAnyPlaceIsRefused() {
        ApiKeys.Created created = keys.create("ci", "acme", Scope.WRITE, null);
        String token = created.token();
        int secretStart = token.length() - ApiKeyToken.SECRET_LENGTH;

        for (int at : new int[]{secretStart, secretStart + 20, token.length() - 1}) {
            char c = token.charAt(at);
            String wrong = token.substring(0, at) + (c == 'A' ? 'B' : 'A') + token.substring(at + 1);
            assertThat(keys.verify(wrong, clock.instant())).as("secret changed at %d", at).isEmpty();
        }
    }

    @Test
    void digestsAreComparedWholeAndAnUnknownKeyNeverMatches() throws Exception {
        ApiKeys.Created created = keys.create("ci", "acme", Scope.WRITE, null);
        byte[] right = ApiKeyToken.parse(created.token()).orElseThrow().digest();
        byte[] lastByteWrong = right.clone();
        lastByteWrong[31] ^= 1;

        assertThat(ApiKeys.sameDigest(right, created.key())).isTrue();
        assertThat(ApiKeys.sameDigest(lastByteWrong, created.key())).isFalse();
        assertThat(ApiKeys.sameDigest(new byte[16], created.key())).isFalse();
        // An unknown id still goes through a comparison (against zeros), and all zeros do not let it through.
        assertThat(ApiKeys.sameDigest(new byte[32], null)).isFalse();
        assertThat(ApiKeys.sameDigest(right, null)).isFalse();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"hk_", "hk_abcdefghijkl_", "Bearer hk_abcdefghijkl_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "hk_ABCDEFGHIJKL_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "hk_abcdefghijk1_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "hk_abcdefghijkl-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "hk_abcdefghijkl_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+",
            "hk_abcdefghijkl_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "HK_abcdefghijkl_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "eyJhbGciOiJub25lIn0.e30.", "hk_abcdefghijkl_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n"})
    void aMalformedTokenIsRefusedWithoutReadingTheStore(String token) {
        assertThat(keys.verify(token, clock.instant())).isEmpty();
        assertThat(store.reads.get()).isZero();
    }

    @Test
    void aWellFormedTokenOfNoKeyIsRefused() {
        keys.create("ci", "acme", Scope.WRITE, null);
        String unknown = "hk_abcdefghijkl_" + "A".repeat(ApiKeyToken.SECRET_LENGTH);

        assertThat(keys.verify(unknown, clock.instant())).isEmpty();
    }

    @Test
    void aTokenVerifiedBeforeIsStillCheckedWhole() {
        ApiKeys.Created created = keys.create("ci", "acme", Scope.WRITE, Duration.ofDays(1));
        String token = created.token();
        assertThat(keys.verify(token, clock.instant())).contains(created.key());

        // the secret remembered from that check is compared in full, not taken for the key's
        String wrong = token.substring(0, token.length() - 1) + (token.endsWith("A") ? 'B' : 'A');
        assertThat(keys.verify(wrong, clock.instant())).isEmpty();
        assertThat(keys.verify(token, clock.instant())).contains(created.key());

        clock.advance(Duration.ofDays(1));
        assertThat(keys.verify(token, clock.instant())).isEmpty();
    }

    @Test
    void aTokenVerifiedBeforeIsRefusedOnceItsKeyIsRevokedElsewhere() {
        ApiKeys elsewhere = new ApiKeys(store, clock);
        ApiKeys.Created created = keys.create("ci", "acme", Scope.WRITE, null);
        assertThat(keys.verify(created.token(), clock.instant())).isPresent();
        assertThat(keys.verify(created.token(), clock.instant())).isPresent();

        elsewhere.revoke(created.key().id());
        keys.refresh();

        assertThat(keys.verify(created.token(), clock.instant())).isEmpty();
    }

    @Test
    void aRevokedKeyIsRefusedAtOnceAndTheListenersAreToldOnce() {
        ApiKeys.Created created = keys.create("ci", "acme", Scope.WRITE, null);
        ApiKeys.Created other = keys.create("other", "acme", Scope.WRITE, null);
        List<String> told = new ArrayList<>();
        keys.addRevocationListener(told::add);
        assertThat(keys.verify(created.token(), clock.instant())).isPresent();

        assertThat(keys.revoke(created.key().id())).isTrue();

        // No clock advance: the cache was updated by the revocation itself.
        assertThat(keys.verify(created.token(), clock.instant())).isEmpty();
        assertThat(keys.verify(other.token(), clock.instant())).isPresent();
        assertThat(told).containsExactly(created.key().id());
        assertThat(store.find(created.key().id()).orElseThrow().revokedAt())
                .isEqualTo(Instant.parse("2025-03-14T09:26:53.589Z"));

        assertThat(keys.revoke(created.key().id())).isFalse();
        assertThat(keys.revoke("nosuchkey234")).isFalse();
        assertThat(told).containsExactly(created.key().id());
    }

    @Test
    void aFailingListenerDoesNotStopTheRevocationOrTheOthers() {
        ApiKeys.Created created = keys.create("ci", "acme", Scope.WRITE, null);
        List<String> told = new ArrayList<>();
        keys.addRevocationListener(id -> {
            throw new IllegalStateException("listener broke");
        });
        keys.addRevocationListener(told::add);

        assertThat(keys.revoke(created.key().id())).isTrue();
        assertThat(told).containsExactly(created.key().id());
        assertThat(keys.verify(created.token(), clock.instant())).isEmpty();
    }

    @Test
    void aKeyStopsWorkingWhenItExpires() {
        ApiKeys.Created created = keys.create("ci", "acme", Scope.WRITE, Duration.ofDays(30));
        Instant expiry = created.key().createdAt().plus(Duration.ofDays(30));

        assertThat(created.key().expiresAt()).isEqualTo(expiry);
        assertThat(keys.verify(created.token(), expiry.minusMillis(1))).isPresent();
        assertThat(keys.verify(created.token(), expiry)).isEmpty();
    }

    @Test
    void unknownIdsReadTheStoreAtMostEveryTwoSeconds() {
        ApiKeys elsewhere = new ApiKeys(store, clock);
        String unknown = "hk_abcdefghijkl_" + "A".repeat(ApiKeyToken.SECRET_LENGTH);
        keys.verify(unknown, clock.instant());
        int reads = store.reads.get();

        ApiKeys.Created made = elsewhere.create("ci", "acme", Scope.WRITE, null);
        for (int i = 0; i < 100; i++) {
            keys.verify(unknown, clock.instant());
        }
        assertThat(keys.verify(made.token(), clock.instant())).isEmpty();
        assertThat(store.reads.get()).isEqualTo(reads);

        clock.advance(KeyCache.RELOAD_INTERVAL);
        assertThat(keys.verify(made.token(), clock.instant())).contains(made.key());
        assertThat(store.reads.get()).isEqualTo(reads + 1);
        assertThat(keys.verify(made.token(), clock.instant())).isPresent();
        assertThat(store.reads.get()).isEqualTo(reads + 1);
    }

    @Test
    void aRevocationElsewhereIsFoundByRefresh() {
        ApiKeys elsewhere = new ApiKeys(store, clock);
        ApiKeys.Created created = keys.create("ci", "acme", Scope.WRITE, null);
        List<String> told = new ArrayList<>();
        keys.addRevocationListener(told::add);
        assertThat(keys.verify(created.token(), clock.instant())).isPresent();

        assertThat(elsewhere.revoke(created.key().id())).isTrue();
        assertThat(told).isEmpty();

        keys.refresh();
        assertThat(told).containsExactly(created.key().id());
        assertThat(keys.verify(created.token(), clock.instant())).isEmpty();
        keys.refresh();
        assertThat(told).hasSize(1);
    }

    @Test
    void aFailingStoreRefusesUnknownKeysWithoutThrowingAndKeepsKnownOnes() {
        ApiKeys.Created known = keys.create("ci", "acme", Scope.WRITE, null);
        store.failing = true;
        clock.advance(Duration.ofMinutes(1));

        assertThat(keys.verify("hk_abcdefghijkl_" + "A".repeat(ApiKeyToken.SECRET_LENGTH), clock.instant()))
                .isEmpty();
        assertThat(keys.verify(known.token(), clock.instant())).isPresent();
    }

    @Test
    void aKeyNeedsAProjectAScopeAndAPositiveLifetime() {
        assertThatThrownBy(() -> keys.create("ci", " ", Scope.READ, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> keys.create("ci", "acme", null, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> keys.create("ci", "acme", Scope.READ, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> keys.create("x".repeat(201), "acme", Scope.READ, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.list()).isEmpty();
    }

    private static String secretOf(String token) {
        return token.substring(token.length() - ApiKeyToken.SECRET_LENGTH);
    }

    /** Counts the reads that {@code verify} may make, and can be made to fail. */
    private static final class CountingKeyStore implements KeyStore {
        private final KeyStore inner;
        final AtomicInteger reads = new AtomicInteger();
        volatile boolean failing;

        CountingKeyStore(KeyStore inner) {
            this.inner = inner;
        }

        @Override
        public void create(ApiKey key) {
            inner.create(key);
        }

        @Override
        public Optional<ApiKey> find(String id) {
            return inner.find(id);
        }

        @Override
        public List<ApiKey> list() {
            reads.incrementAndGet();
            if (failing) {
                throw new IllegalStateException("the database is down");
            }
            return inner.list();
        }

        @Override
        public boolean revoke(String id, Instant at) {
            return inner.revoke(id, at);
        }
    }
}
