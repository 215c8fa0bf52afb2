package dev.herald.core.cluster;

import java.util.List;
import java.util.Objects;

/**
 * Where a job sits: its tree, its project and its ancestors. None of it ever changes for a job
 * id, so it can be cached for good.
 *
 * @param ancestors the parent, its parent and so on up to the root; empty for a root
 */
public record Placement(String jobId, String rootId, String project, List<String> ancestors) {
    public Placement {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(rootId, "rootId");
        Objects.requireNonNull(project, "project");
        ancestors = List.copyOf(ancestors);
    }
}
