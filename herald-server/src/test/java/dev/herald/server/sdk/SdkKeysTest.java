package dev.herald.server.sdk;

import dev.herald.client.Herald;
import dev.herald.client.JobSpec;
import dev.herald.client.keys.CreatedKey;
import dev.herald.client.keys.KeyInfo;
import dev.herald.client.keys.Keys;
import dev.herald.client.keys.NewKey;
import dev.herald.core.auth.Scope;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code herald.keys()}, the client's extension for API keys, against a real server. */
class SdkKeysTest {
    @RegisterExtension
    static final SdkServer sdk = new SdkServer();

    /** The client under test; the keys it makes are tried with remote clients of their own. */
    Herald herald() {
        return sdk.herald();
    }

    private Keys keys() {
        return herald().keys();
    }

    private static Herald as(String token) {
        return Herald.builder().url(sdk.server().baseUrl()).token(token).maxRetries(0).build();
    }

    @Test
    void aCreatedKeyIsListedWorksInItsProjectAndIsRefusedOnceRevoked() {
        CreatedKey created = keys().create(NewKey.of("acme", Scope.WRITE).name("importer")
                .expiresIn(Duration.ofDays(30)));
        KeyInfo key = created.key();
        assertThat(key.project()).isEqualTo("acme");
        assertThat(key.scope()).isEqualTo(Scope.WRITE);
        assertThat(key.name()).isEqualTo("importer");
        assertThat(key.expiresAt()).isAfter(key.createdAt().plus(Duration.ofDays(29)));
        assertThat(key.revokedAt()).isNull();
        assertThat(keys().list()).contains(key);

        try (Herald importer = as(created.token())) {
            Job job = importer.create(JobSpec.of("import-csv"));
            assertThat(job.project()).isEqualTo("acme");
            assertThat(job.owner()).isEqualTo("importer");

            keys().revoke(key.id());
            assertThat(keys().list()).anyMatch(k -> k.id().equals(key.id()) && k.revokedAt() != null);
            assertThatThrownBy(() -> importer.get(job.id()))
                    .isInstanceOfSatisfying(HeraldException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED));
        }
    }

    @Test
    void refusalsCarryTheApiCode() {
        assertThatThrownBy(() -> keys().revoke("k_unknown"))
                .isInstanceOfSatisfying(HeraldException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThatThrownBy(() -> keys().create(NewKey.of("p".repeat(300), Scope.READ)))
                .isInstanceOfSatisfying(HeraldException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FIELD);
                    assertThat(e.field()).isEqualTo("project");
                });
        CreatedKey reader = keys().create(NewKey.of("*", Scope.READ));
        try (Herald notAdmin = as(reader.token())) {
            assertThatThrownBy(() -> notAdmin.keys().list())
                    .isInstanceOfSatisfying(HeraldException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED));
        }
    }

    @Test
    void badArgumentsAreRefusedBeforeAnythingIsSent() {
        assertThatThrownBy(() -> NewKey.of(" ", Scope.READ)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NewKey.of("acme", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NewKey.of("acme", Scope.READ).expiresIn(Duration.ofMillis(10)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> keys().create(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> keys().revoke(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
