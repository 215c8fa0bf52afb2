package dev.herald.server.auth;

import dev.herald.core.auth.Scope;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Who is calling and what it may do: its projects ({@code *} for all), optionally
 * only some jobs and their descendants, a scope, and until when.
 *
 * @param jobs      the jobs a JWT's {@code jobs} claim names, or null for no such limit
 * @param expiresAt null when the credential does not expire
 * @param keyId     the API key's id, or null for a JWT or the admin token
 */
public record Principal(String subject, Scope scope, Set<String> projects, Set<String> jobs, Instant expiresAt,
                        String keyId) {
    public static final String ALL = "*";

    /** The admin token's principal: every project, every job, no expiry. */
    public static Principal operator() {
        return new Principal("admin", Scope.ADMIN, Set.of(ALL), null, null, null);
    }

    public boolean allProjects() {
        return projects.contains(ALL);
    }

    public boolean mayReadProject(String project) {
        return allProjects() || projects.contains(project);
    }

    /**
     * The projects a listing of {@code project} may show, or of every project when it is null: null for all, empty
     * for none (a project the caller may not read lists nothing, like an empty one).
     */
    public Set<String> projectsToList(String project) {
        if (project != null) {
            return mayReadProject(project) ? Set.of(project) : Set.of();
        }
        return allProjects() ? null : projects;
    }

    /** Whether a job of that project, with those ancestors (parent first), is readable. */
    public boolean mayRead(String jobId, String project, List<String> ancestors) {
        if (!mayReadProject(project)) {
            return false;
        }
        if (jobs == null || jobs.contains(jobId)) {
            return true;
        }
        for (String a : ancestors) {
            if (jobs.contains(a)) {
                return true;
            }
        }
        return false;
    }

    /** The one project a create goes to when it names none: the credential's only project, if it has just one. */
    public String defaultProject(String fallback) {
        return projects.size() == 1 && !allProjects() ? projects.iterator().next() : fallback;
    }

    /** The admin token: the operator's, the only credential with no key, no expiry and no limit of jobs. */
    public boolean isOperator() {
        return keyId == null && expiresAt == null && jobs == null && scope == Scope.ADMIN && allProjects();
    }
}
