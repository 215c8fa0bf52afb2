package dev.herald.core.engine;

import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.core.model.Lease;
import dev.herald.core.rules.Transitions;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;

/**
 * The rule for a write that sends a {@code Lease-Token} (API §9): it must hold the job's current lease, which
 * it then extends; anything else is {@code lease_lost}. A job that ended holds no more work but keeps its
 * lease, so its worker hears {@code job_finished} (cancelled, say) like any writer; one that ended because
 * the lease ran out answers {@code lease_lost}. Writes without a token are not checked and extend nothing.
 */
final class Leases {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Leases() {
    }

    /** A new lease token: 128 random bits. */
    static String newToken() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return "lt_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Caller holds the job's monitor. Extends the lease in place, at the job's current version: the command
     * that follows makes the next version, which carries it.
     */
    static void hold(LiveJob lj, String token, Instant now) {
        Job job = lj.job();
        Lease lease = job.lease();
        boolean mine = lease != null && lease.token().equals(token);
        if (job.status().isTerminal()) {
            boolean expired = job.error() != null && Transitions.LEASE_EXPIRED.equals(job.error().code());
            if (mine && !expired) {
                return;
            }
            throw lost();
        }
        if (!mine || lease.isExpiredAt(now)) {
            throw lost();
        }
        lj.set(job.toBuilder().lease(lease.extendedFrom(now)).build());
    }

    private static HeraldException lost() {
        return new HeraldException(ErrorCode.LEASE_LOST,
                "this worker no longer holds the job: its lease ran out or was taken by another claim");
    }
}
