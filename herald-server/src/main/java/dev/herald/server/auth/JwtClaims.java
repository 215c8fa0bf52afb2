package dev.herald.server.auth;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * The claims of a verified JWT (API §5).
 *
 * @param subject   {@code sub}: who the token is for
 * @param projects  {@code projects}: the projects it may use; {@code "*"} means all (never empty)
 * @param jobs      {@code jobs}: the job ids it may read (with their descendants), or null when the claim is absent
 * @param scope     {@code scope}: {@code read}, {@code write} or {@code admin}
 * @param expiresAt {@code exp}
 */
public record JwtClaims(String subject, Set<String> projects, Set<String> jobs, String scope, Instant expiresAt) {

    /** The {@code projects} entry that means every project. */
    public static final String ALL_PROJECTS = "*";

    public JwtClaims {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(expiresAt, "expiresAt");
        projects = Set.copyOf(projects);
        jobs = jobs == null ? null : Set.copyOf(jobs);
    }

    /** Whether {@code projects} is {@code ["*"]} (or holds {@code "*"}). */
    public boolean allProjects() {
        return projects.contains(ALL_PROJECTS);
    }
}
