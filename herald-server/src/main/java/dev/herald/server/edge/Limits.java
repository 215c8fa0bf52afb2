package dev.herald.server.edge;

/**
 * The configurable limits on what a client may send (API §6). Every limit is checked
 * at the edge, so the engine and the store only ever see bounded input.
 *
 * @param maxBodyBytes      a request body, in bytes (default 65 536); see {@link #maxBodyBytesFor(String)}
 * @param maxMessageChars   a progress, log or error {@code message}, in characters (default 2 048)
 * @param maxMetadataBytes  {@code metadata}, as the UTF-8 of its compact JSON (default 8 192)
 * @param maxResultBytes    a job's {@code result}, as the UTF-8 of its compact JSON (default 1 048 576)
 * @param maxDepth          nesting of JSON objects and arrays in a body (default 32)
 * @param maxNameChars      names, types, stage names, units, owner, project, ids, error codes and
 *                          idempotency keys, in characters (default 200)
 * @param maxStages         stages of one job (default 100)
 * @param maxBatchEntries   entries of one {@code POST /progress:batch} (default 1 000)
 * @param maxLogFieldsBytes a log line's {@code fields}, as the UTF-8 of its compact JSON (default 8 192)
 * @param maxSubscriptions  jobs one SSE request or WebSocket connection may subscribe to (default 1 000)
 */
public record Limits(
        int maxBodyBytes,
        int maxMessageChars,
        int maxMetadataBytes,
        int maxResultBytes,
        int maxDepth,
        int maxNameChars,
        int maxStages,
        int maxBatchEntries,
        int maxLogFieldsBytes,
        int maxSubscriptions) {

    /**
     * What a {@code complete} body may hold besides its result: the {@code {"result":...}}
     * wrapper and some whitespace. A result of exactly {@code maxResultBytes} must fit.
     */
    public static final int COMPLETE_BODY_OVERHEAD = 1024;

    public Limits {
        requirePositive("maxBodyBytes", maxBodyBytes);
        requirePositive("maxMessageChars", maxMessageChars);
        requirePositive("maxMetadataBytes", maxMetadataBytes);
        requirePositive("maxResultBytes", maxResultBytes);
        requirePositive("maxDepth", maxDepth);
        requirePositive("maxNameChars", maxNameChars);
        requirePositive("maxStages", maxStages);
        requirePositive("maxBatchEntries", maxBatchEntries);
        requirePositive("maxLogFieldsBytes", maxLogFieldsBytes);
        requirePositive("maxSubscriptions", maxSubscriptions);
    }

    /** The documented defaults of API §6. */
    public static Limits defaults() {
        return new Limits(64 * 1024, 2048, 8 * 1024, 1024 * 1024, 32, 200, 100, 1000, 8 * 1024, 1000);
    }

    /**
     * The body limit of a route. Every route gets {@link #maxBodyBytes()} except
     * {@code complete}, whose result alone may be {@link #maxResultBytes()}: it gets
     * the larger of the two plus {@link #COMPLETE_BODY_OVERHEAD}.
     *
     * @param route a route name or path; {@code "complete"} or anything ending in {@code "/complete"}
     *              is the complete route
     */
    public int maxBodyBytesFor(String route) {
        if (route != null && (route.equals("complete") || route.endsWith("/complete"))) {
            return completeBodyBytes();
        }
        return maxBodyBytes;
    }

    /** The body limit of {@code POST /jobs/{id}/complete}. */
    public int completeBodyBytes() {
        long n = (long) Math.max(maxBodyBytes, maxResultBytes) + COMPLETE_BODY_OVERHEAD;
        return (int) Math.min(n, Integer.MAX_VALUE - 8);
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
