package dev.herald.core.auth;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiKeyTest {
    private static final Instant T0 = Instant.parse("2025-03-14T09:26:53.589Z");
    private static final String HASH = "ab".repeat(32);

    private static ApiKey key(String project, Instant expiresAt, Instant revokedAt) {
        return new ApiKey("abcdefghijkl", "ci", project, Scope.WRITE, HASH, T0, expiresAt, revokedAt);
    }

    @Test
    void eachScopeAllowsItselfAndTheScopesBelow() {
        assertThat(Scope.ADMIN.allows(Scope.READ)).isTrue();
        assertThat(Scope.ADMIN.allows(Scope.ADMIN)).isTrue();
        assertThat(Scope.WRITE.allows(Scope.READ)).isTrue();
        assertThat(Scope.WRITE.allows(Scope.ADMIN)).isFalse();
        assertThat(Scope.READ.allows(Scope.WRITE)).isFalse();
    }

    @Test
    void scopesReadTheirWireNamesOnly() {
        for (Scope s : Scope.values()) {
            assertThat(Scope.fromWire(s.wire())).contains(s);
        }
        assertThat(Scope.WRITE.wire()).isEqualTo("write");
        assertThat(Scope.fromWire("WRITE")).isEmpty();
        assertThat(Scope.fromWire(null)).isEmpty();
    }

    @Test
    void aKeyIsActiveUntilItExpiresOrIsRevoked() {
        Instant expiry = T0.plus(Duration.ofDays(30));
        assertThat(key("acme", null, null).isActive(T0.plus(Duration.ofDays(3650)))).isTrue();
        assertThat(key("acme", expiry, null).isActive(expiry.minusMillis(1))).isTrue();
        assertThat(key("acme", expiry, null).isActive(expiry)).isFalse();
        assertThat(key("acme", null, null).revoked(T0).isActive(T0.minusSeconds(1))).isFalse();
    }

    @Test
    void theStarReachesEveryProject() {
        assertThat(key(ApiKey.ALL_PROJECTS, null, null).allowsProject("globex")).isTrue();
        assertThat(key("acme", null, null).allowsProject("acme")).isTrue();
        assertThat(key("acme", null, null).allowsProject("globex")).isFalse();
    }

    @Test
    void theHashMustBeAHexDigest() {
        assertThatThrownBy(() -> new ApiKey("k", null, "acme", Scope.READ, "not-a-hash", T0, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ApiKey("k", null, "acme", Scope.READ, HASH.toUpperCase(), T0, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ApiKey("k", null, " ", Scope.READ, HASH, T0, null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
