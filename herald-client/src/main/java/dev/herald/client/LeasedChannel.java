package dev.herald.client;

import dev.herald.client.transport.Transport;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;

import java.time.Duration;

/**
 * The channel of a claimed job (API §9): every write sends the lease's token, which extends the lease; progress
 * goes alone, since a batch takes no token; a heartbeat renews the lease at least every {@code renewal}; and a
 * {@code lease_lost} answer ends the attempt as a cancel would.
 */
final class LeasedChannel extends JobChannel {
    private final Transport leased;
    private final long renewalNanos;

    LeasedChannel(Job job, Sender sender, Transport leased, Duration renewal) {
        super(job, sender);
        this.leased = leased;
        this.renewalNanos = renewal.toNanos();
    }

    @Override
    Transport via(Transport shared) {
        return leased;
    }

    @Override
    synchronized boolean heartbeatDue(long nowNanos, long intervalNanos) {
        return super.heartbeatDue(nowNanos, Math.min(intervalNanos, renewalNanos));
    }

    @Override
    boolean endedBy(HeraldException e) {
        if (e.code() == ErrorCode.LEASE_LOST) {
            leaseLost();
            return true;
        }
        return super.endedBy(e);
    }
}
