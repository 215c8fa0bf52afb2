package dev.herald.core.port;

import java.util.List;

/** Whether this node has a reader of a job's events: of the job itself, of a subtree above it, or of its project. */
@FunctionalInterface
public interface Watched {
    Watched EVERYTHING = (jobId, project, ancestors) -> true;

    boolean watches(String jobId, String project, List<String> ancestors);
}
