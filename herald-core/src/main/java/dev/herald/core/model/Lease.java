package dev.herald.core.model;

import java.time.Instant;

/**
 * A worker's hold on a claimed job (API §9): the worker's name, the token its writes send, until when the
 * hold lasts and by how much each of those writes extends it. The token is the worker's alone: the API
 * shows it only in the answer to the claim.
 */
public record Lease(String worker, String token, Instant expiresAt, long leaseMs) {

    /** The same lease, held {@code leaseMs} from now. */
    public Lease extendedFrom(Instant now) {
        return new Lease(worker, token, now.plusMillis(leaseMs), leaseMs);
    }

    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
