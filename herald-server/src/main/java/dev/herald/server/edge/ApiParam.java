package dev.herald.server.edge;

import dev.herald.core.event.EventType;
import dev.herald.core.model.JobStatus;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * A query parameter or request header that routes read. The route table ({@link ApiRouter}) names each route's
 * parameters from here: {@link QueryParams} refuses every query parameter a route does not name, and
 * {@code /openapi.json} documents the same ones, so what is accepted and what is documented cannot differ.
 *
 * @param kind      how the value is read
 * @param min       for {@link Kind#INTEGER}: the smallest value accepted
 * @param max       for {@link Kind#INTEGER}: the largest value accepted
 * @param byDefault for {@link Kind#INTEGER}: the value when absent, or null when absence means something else
 * @param values    for {@link Kind#CHOICE} and {@link Kind#LIST}: the values accepted, or empty for any text
 */
public record ApiParam(String name, boolean header, Kind kind, String description, long min, long max,
                       Long byDefault, List<String> values) {

    /** What a parameter's value is. */
    public enum Kind {
        TEXT, CHOICE, INTEGER, FLAG,
        /** Comma-separated values. */
        LIST
    }

    // ---- query parameters ----------------------------------------------------------------

    public static final ApiParam WAIT_FOR_VERSION = integer("waitForVersion", 0, Long.MAX_VALUE, null,
            "Long poll: answer as soon as the job's version is above this one (at once if it already is).");
    public static final ApiParam TIMEOUT_MS = integer("timeoutMs", 0, 60_000, 30_000L,
            "With waitForVersion: answer with the current job after this many milliseconds at the latest.");
    public static final ApiParam STATUS = choice("status", wire(JobStatus.values(), JobStatus::wire),
            "Only jobs with this status.");
    public static final ApiParam TYPE = text("type", "Only jobs of this type.");
    public static final ApiParam PARENT_ID = text("parentId", "Only the direct children of this job.");
    public static final ApiParam PROJECT = text("project",
            "Only jobs of this project; a project the caller may not read lists nothing.");
    public static final ApiParam STATS_PROJECT = text("project",
            "Required: the project whose job types to describe; a project the caller may not read has none.");
    public static final ApiParam OWNER = text("owner", "Only jobs created by this owner (a token's subject).");
    public static final ApiParam JOB_LIMIT = integer("limit", 1, 500, 50L, "The most jobs in one page.");
    public static final ApiParam CURSOR = text("cursor", "The nextCursor of the previous page.");
    public static final ApiParam LOG_AFTER = integer("after", 0, Long.MAX_VALUE, 0L,
            "Only lines with a higher seq: the nextAfter of the previous page.");
    public static final ApiParam LOG_LIMIT = integer("limit", 1, 1000, 100L, "The most lines in one page.");
    public static final ApiParam TYPES = list("types", wire(EventType.values(), EventType::wire),
            "Only these event types (snapshot is always sent).");
    public static final ApiParam JOBS = list("jobs", List.of(),
            "The ids of the jobs to stream, comma-separated (at most 1000). Give jobs or project, not both.");
    public static final ApiParam STREAM_PROJECT = text("project",
            "Stream every job of this project, jobs created later included. Give jobs or project, not both.");
    public static final ApiParam DESCENDANTS = flag("descendants", "Stream the job's whole subtree.");
    public static final ApiParam LAST_EVENT_ID = text("lastEventId",
            "Resume after this event id, as the Last-Event-ID header does (the header wins).");

    // ---- request headers -----------------------------------------------------------------

    public static final ApiParam IDEMPOTENCY_KEY = header("Idempotency-Key",
            "The same key (per project) answers the job it created the first time (200), never a duplicate.");
    public static final ApiParam IF_NONE_MATCH = header("If-None-Match",
            "An ETag of the job: 304 without a body while the job is still at that version.");
    public static final ApiParam LAST_EVENT_ID_HEADER = header("Last-Event-ID",
            "Resume after this event id: the missed status and log events the server retains are replayed.");

    public static final ApiParam LEASE_TOKEN = header("Lease-Token",
            "The token of the claim this worker holds (API §9): the write extends the lease, or is refused with "
                    + "409 lease_lost when the lease is no longer the worker's. Without it, writes are not checked.");

    public ApiParam {
        values = List.copyOf(values);
    }

    private static ApiParam text(String name, String description) {
        return new ApiParam(name, false, Kind.TEXT, description, 0, 0, null, List.of());
    }

    private static ApiParam choice(String name, List<String> values, String description) {
        return new ApiParam(name, false, Kind.CHOICE, description, 0, 0, null, values);
    }

    private static ApiParam integer(String name, long min, long max, Long byDefault, String description) {
        return new ApiParam(name, false, Kind.INTEGER, description, min, max, byDefault, List.of());
    }

    private static ApiParam flag(String name, String description) {
        return new ApiParam(name, false, Kind.FLAG, description, 0, 0, null, List.of());
    }

    private static ApiParam list(String name, List<String> values, String description) {
        return new ApiParam(name, false, Kind.LIST, description, 0, 0, null, values);
    }

    private static ApiParam header(String name, String description) {
        return new ApiParam(name, true, Kind.TEXT, description, 0, 0, null, List.of());
    }

    private static <E> List<String> wire(E[] all, Function<E, String> wire) {
        return Arrays.stream(all).map(wire).toList();
    }
}
