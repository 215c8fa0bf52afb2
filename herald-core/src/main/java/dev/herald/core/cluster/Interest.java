package dev.herald.core.cluster;

import java.util.Set;

/**
 * What this node's readers watch, for a resync after lost events (docs/cluster.md §4.4).
 *
 * @param jobs     jobs watched one by one
 * @param subtrees roots of watched subtrees
 * @param projects watched projects
 */
public record Interest(Set<String> jobs, Set<String> subtrees, Set<String> projects) {
    public Interest {
        jobs = Set.copyOf(jobs);
        subtrees = Set.copyOf(subtrees);
        projects = Set.copyOf(projects);
    }
}
