package dev.herald.client;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/** A runner's settings, as its builder made them, and the timer its attempts share. */
record RunnerConfig(ClientHerald herald, Map<String, Handler> handlers, int concurrency, Duration lease,
                    Backoff backoff, Duration grace, String worker, ScheduledExecutorService timer) {

    /** How often a running job's lease is renewed at the least: a third of it, so two renewals may fail. */
    Duration renewal() {
        return lease.dividedBy(3);
    }
}
