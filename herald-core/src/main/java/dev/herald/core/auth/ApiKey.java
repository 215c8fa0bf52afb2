package dev.herald.core.auth;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An API key as stored: never its secret, only the secret's SHA-256 digest, so a
 * leaked database or log lets no one in.
 *
 * @param name       what the operator called it, or null
 * @param project    the one project it may reach, or {@link #ALL_PROJECTS}
 * @param secretHash the SHA-256 digest of the secret, 64 lowercase hex digits
 * @param expiresAt  when it stops working, or null for never
 * @param revokedAt  when it was revoked, or null while it is not
 */
public record ApiKey(String id, String name, String project, Scope scope, String secretHash, Instant createdAt,
                     Instant expiresAt, Instant revokedAt) {
    public static final String ALL_PROJECTS = "*";
    private static final Pattern SHA_256_HEX = Pattern.compile("[0-9a-f]{64}");

    public ApiKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(secretHash, "secretHash");
        Objects.requireNonNull(createdAt, "createdAt");
        if (id.isBlank() || project.isBlank()) {
            throw new IllegalArgumentException("an API key needs an id and a project");
        }
        // Checked here so that comparing digests later can never fail on a malformed one.
        if (!SHA_256_HEX.matcher(secretHash).matches()) {
            throw new IllegalArgumentException("secretHash of key " + id + " is not a hex SHA-256 digest");
        }
    }

    /** Neither revoked nor expired at {@code now}; a key expires at the instant {@link #expiresAt}. */
    public boolean isActive(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }

    /** True if the key reaches jobs of this project. */
    public boolean allowsProject(String name) {
        return ALL_PROJECTS.equals(project) || project.equals(name);
    }

    /** This key, revoked at {@code at}. */
    public ApiKey revoked(Instant at) {
        return new ApiKey(id, name, project, scope, secretHash, createdAt, expiresAt, Objects.requireNonNull(at));
    }
}
