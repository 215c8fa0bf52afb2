package dev.herald.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.command.ClaimRequest;
import dev.herald.server.edge.ClientText;
import dev.herald.server.edge.body.Body;
import dev.herald.server.edge.body.Field;
import dev.herald.server.edge.body.Numbers;
import dev.herald.server.edge.body.ObjectShape;
import dev.herald.server.edge.body.Schemas;
import dev.herald.server.edge.body.Shape;
import dev.herald.server.edge.body.Text;

import java.util.LinkedHashSet;
import java.util.Set;

/** The bodies of the worker routes (API §9): a claim, and a retry that may be delayed. */
public final class ClaimBodies {
    /** The most job types one claim may name. */
    public static final int MAX_TYPES = 100;
    /** The longest a retry may be delayed: 30 days. */
    public static final long MAX_DELAY_MS = 30L * 24 * 3_600_000;
    /** The lease of a claim that asks for none. */
    public static final long DEFAULT_LEASE_MS = 30_000;
    private static final long MIN_LEASE_MS = 1_000;

    private static final Field<Set<String>> TYPES = Field.required("types", Shape.of(ClaimBodies::types,
            limits -> Schemas.array(Text.ID.schema(limits)).put("minItems", 1).put("maxItems", MAX_TYPES)
                    .put("uniqueItems", true).put("description", "The job types this worker runs.")));
    private static final Field<String> WORKER = Field.required("worker", Text.ID);
    private static final Field<Long> LEASE_MS = Field.optional("leaseMs",
            Numbers.whole(MIN_LEASE_MS, ClaimRequest.MAX_LEASE_MS), DEFAULT_LEASE_MS);
    private static final Field<Long> WAIT_MS = Field.optional("waitMs", Numbers.whole(0, ClaimRequest.MAX_WAIT_MS), 0L);
    private static final Field<Long> LIMIT = Field.optional("limit", Numbers.whole(1, ClaimRequest.MAX_LIMIT), 0L);
    private static final Field<Long> DELAY_MS = Field.optional("delayMs", Numbers.whole(0, MAX_DELAY_MS), 0L);

    /** {@code POST /jobs:claim}: the request, within any project (the route narrows it to the caller's). */
    public static final Body<ClaimRequest> CLAIM = Body.required("Claim", ObjectShape.of(
            "What a worker asks for: a job of one of its types, held for leaseMs (1 000 to 3 600 000, default "
                    + "30 000), waiting up to waitMs (0 to 30 000, default 0) for one to come; with limit (1 to "
                    + "100), up to that many jobs at once, answered as {\"jobs\": [...]}.",
            v -> new ClaimRequest(v.get(TYPES), null, v.get(WORKER), v.get(LEASE_MS), v.get(WAIT_MS),
                    v.get(LIMIT).intValue()),
            TYPES, WORKER, LEASE_MS, WAIT_MS, LIMIT));

    /**
     * {@code POST /jobs/{id}/complete}'s {@code claim}: the worker's next jobs, taken at once (no {@code waitMs})
     * in the completion's request; {@code limit} 1 to 100, default 1.
     */
    static final Field<ClaimRequest> NEXT = Field.optional("claim", ObjectShape.of(
            "The worker's next jobs, claimed at once in the same request (Herald's extension of API §9): the "
                    + "answer is then {\"job\": the completed job, \"next\": [0 to limit claimed jobs]}.",
            v -> new ClaimRequest(v.get(TYPES), null, v.get(WORKER), v.get(LEASE_MS), 0,
                    Math.max(1, v.get(LIMIT).intValue())),
            TYPES, WORKER, LEASE_MS, LIMIT));

    /** {@code POST /jobs/{id}/retry}: how long the job waits before it may be claimed, 0 when no body. */
    public static final Body<Long> RETRY = Body.optional("Retry", ObjectShape.of(
            "No body, or {}, or how long to wait before the job may be claimed again.",
            v -> v.get(DELAY_MS), DELAY_MS));

    private ClaimBodies() {
    }

    private static Set<String> types(JsonNode value, String path, dev.herald.server.edge.Limits limits) {
        if (!value.isArray() || value.isEmpty()) {
            throw Schemas.invalid(path, "'" + path + "' must be a non-empty array of job types");
        }
        if (value.size() > MAX_TYPES) {
            throw Schemas.invalid(path, "a claim may name at most " + MAX_TYPES + " types");
        }
        Set<String> types = new LinkedHashSet<>();
        for (int i = 0; i < value.size(); i++) {
            String at = path + "[" + i + "]";
            String type = Text.ID.read(value.get(i), at, limits);
            if (!types.add(type)) {
                throw Schemas.invalid(at, "duplicate type '" + ClientText.printable(type) + "'");
            }
        }
        return types;
    }
}
