package dev.herald.client.keys;

import dev.herald.core.auth.Scope;

import java.time.Duration;

/**
 * A key to create: {@code NewKey.of("acme", Scope.READ).name("dashboard").expiresIn(Duration.ofDays(90))}.
 *
 * @param project   the project the key may use, or {@code *} for all
 * @param scope     what it may do
 * @param name      a name to tell it by (jobs it creates have it as their owner), or null
 * @param expiresIn its lifetime (whole seconds), or null for a key that never expires
 */
public record NewKey(String project, Scope scope, String name, Duration expiresIn) {
    public NewKey {
        if (project == null || project.isBlank()) {
            throw new IllegalArgumentException("a key's project is required (a project, or * for all)");
        }
        if (scope == null) {
            throw new IllegalArgumentException("a key's scope is required (read, write or admin)");
        }
        if (expiresIn != null && expiresIn.toSeconds() < 1) {
            throw new IllegalArgumentException("a key's lifetime must be at least one second (got " + expiresIn + ")");
        }
    }

    public static NewKey of(String project, Scope scope) {
        return new NewKey(project, scope, null, null);
    }

    public NewKey name(String name) {
        return new NewKey(project, scope, name, expiresIn);
    }

    public NewKey expiresIn(Duration lifetime) {
        return new NewKey(project, scope, name, lifetime);
    }
}
