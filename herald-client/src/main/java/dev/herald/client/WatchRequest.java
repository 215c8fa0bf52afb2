package dev.herald.client;

import dev.herald.client.transport.EventQuery;
import dev.herald.core.event.EventType;

import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a {@link Watch} follows: {@code WatchRequest.job(id)}, {@code WatchRequest.job(id).descendants()} (the job
 * and everything below it, children created later included), {@code WatchRequest.jobs(ids)} (up to
 * {@value #MAX_JOBS} jobs) or {@code WatchRequest.project("acme")} (every job of the project, jobs created later
 * included), narrowed with {@code types(STATUS, LOG)}. Immutable.
 *
 * <p>A watch costs one connection whatever it follows. The server streams at most {@value #MAX_JOBS} listed jobs
 * on one connection, so a longer list is refused here rather than split: watch their parent with
 * {@code descendants()} or their project, or open one watch per thousand.
 */
public final class WatchRequest {
    /** The most jobs one watch (one connection) may list. */
    public static final int MAX_JOBS = 1000;

    private final List<String> jobs;
    private final boolean descendants;
    private final String project;
    private final Set<EventType> types;

    private WatchRequest(List<String> jobs, boolean descendants, String project, Set<EventType> types) {
        this.jobs = jobs;
        this.descendants = descendants;
        this.project = project;
        this.types = types;
    }

    /** One job. */
    public static WatchRequest job(String id) {
        return new WatchRequest(List.of(Arguments.text(id, "job id")), false, null, null);
    }

    /**
     * These jobs (each once, at most {@value #MAX_JOBS}).
     *
     * @throws IllegalArgumentException for no jobs, a blank id or more than {@value #MAX_JOBS} jobs
     */
    public static WatchRequest jobs(Collection<String> ids) {
        Set<String> unique = new LinkedHashSet<>();
        for (String id : Arguments.required(ids, "job ids")) {
            unique.add(Arguments.text(id, "job id"));
        }
        if (unique.isEmpty() || unique.size() > MAX_JOBS) {
            throw new IllegalArgumentException("a watch follows 1 to " + MAX_JOBS + " jobs on its one connection (got "
                    + unique.size() + "): watch their parent with descendants() or their project, or open several");
        }
        return new WatchRequest(List.copyOf(unique), false, null, null);
    }

    /** Every job of a project the token may read, jobs created later included. */
    public static WatchRequest project(String name) {
        return new WatchRequest(List.of(), false, Arguments.text(name, "project"), null);
    }

    /**
     * The job and everything below it, descendants created later included.
     *
     * @throws IllegalArgumentException unless this request is of one job
     */
    public WatchRequest descendants() {
        if (jobs.size() != 1) {
            throw new IllegalArgumentException("descendants() goes with WatchRequest.job(id): one job and its subtree");
        }
        return new WatchRequest(jobs, true, null, types);
    }

    /** Only events of these types; a {@code snapshot} of each job still comes first. */
    public WatchRequest types(EventType... types) {
        Set<EventType> set = EnumSet.noneOf(EventType.class);
        for (EventType t : Arguments.required(types, "types")) {
            set.add(Arguments.required(t, "type"));
        }
        if (set.isEmpty()) {
            throw new IllegalArgumentException("name at least one event type");
        }
        return new WatchRequest(jobs, descendants, project, set);
    }

    EventQuery query() {
        return new EventQuery(jobs, descendants, project, types);
    }

    @Override
    public String toString() {
        String what = project != null ? "project " + project
                : jobs.size() == 1 ? "job " + jobs.get(0) + (descendants ? " and its descendants" : "")
                : jobs.size() + " jobs";
        return what + (types == null ? "" : " " + types);
    }
}
