package dev.herald.server.rest;

import dev.herald.core.command.ClaimRequest;
import dev.herald.core.model.RawJson;

/** A completion's body: the result (null: none) and the claim of the worker's next jobs (null: none). */
public record Completion(RawJson result, ClaimRequest claim) {
}
