package dev.herald.core.port;

import java.time.Instant;
import java.util.Set;

/**
 * What a claim looks for in the store: a queued job of one of {@code types}, in one of {@code projects}
 * (null: any project), due at {@code now}, held for the claimer until {@code holdUntil}.
 */
public record ClaimQuery(Set<String> types, Set<String> projects, Instant now, Instant holdUntil) {
    public ClaimQuery {
        types = Set.copyOf(types);
        projects = projects == null ? null : Set.copyOf(projects);
    }

    public boolean matches(String type, String project) {
        return types.contains(type) && (projects == null || projects.contains(project));
    }
}
