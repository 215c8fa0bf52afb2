package dev.herald.core.command;

import java.util.Set;

/**
 * {@code POST /jobs:claim} (API §9): a job of one of {@code types}, in one of {@code projects} (null: any),
 * for {@code worker}, held {@code leaseMs} and waited for up to {@code waitMs}; with a {@code limit} (1 to
 * {@value #MAX_LIMIT}; 0: none given, one job answered alone) up to that many jobs, answered as a list.
 */
public record ClaimRequest(Set<String> types, Set<String> projects, String worker, long leaseMs, long waitMs,
                           int limit) {
    /** The longest lease a claim may ask for: a worker that needs longer extends it with its writes. */
    public static final long MAX_LEASE_MS = 3_600_000;
    /** The longest a claim may wait for a job. */
    public static final long MAX_WAIT_MS = 30_000;
    /** The most jobs one claim may take. */
    public static final int MAX_LIMIT = 100;

    public ClaimRequest {
        types = Set.copyOf(types);
        projects = projects == null ? null : Set.copyOf(projects);
    }

    /** One job, answered alone. */
    public ClaimRequest(Set<String> types, Set<String> projects, String worker, long leaseMs, long waitMs) {
        this(types, projects, worker, leaseMs, waitMs, 0);
    }

    /** The same request within these projects (null: any). */
    public ClaimRequest within(Set<String> callerProjects) {
        return new ClaimRequest(types, callerProjects, worker, leaseMs, waitMs, limit);
    }

    /** The same request for up to {@code n} jobs, answered as a list. */
    public ClaimRequest upTo(int n) {
        return new ClaimRequest(types, projects, worker, leaseMs, waitMs, n);
    }
}
