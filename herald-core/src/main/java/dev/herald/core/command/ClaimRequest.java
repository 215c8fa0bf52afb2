package dev.herald.core.command;

import java.util.Set;

/**
 * {@code POST /jobs:claim} (API §9): a job of one of {@code types}, in one of {@code projects} (null: any),
 * for {@code worker}, held {@code leaseMs} and waited for up to {@code waitMs}.
 */
public record ClaimRequest(Set<String> types, Set<String> projects, String worker, long leaseMs, long waitMs) {
    /** The longest lease a claim may ask for: a worker that needs longer extends it with its writes. */
    public static final long MAX_LEASE_MS = 3_600_000;
    /** The longest a claim may wait for a job. */
    public static final long MAX_WAIT_MS = 30_000;

    public ClaimRequest {
        types = Set.copyOf(types);
        projects = projects == null ? null : Set.copyOf(projects);
    }

    /** The same request within these projects (null: any). */
    public ClaimRequest within(Set<String> callerProjects) {
        return new ClaimRequest(types, callerProjects, worker, leaseMs, waitMs);
    }
}
