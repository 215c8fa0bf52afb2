package dev.herald.core.engine;

import dev.herald.core.cluster.NodeMeters;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * How the engine runs. Defaults: progress flushed every 200 ms, finished jobs kept
 * 7 days, retention checked every minute, idle jobs kept in memory 10 minutes,
 * 4 threads for store reads, a running job stalled after 60 s of silence.
 *
 * @param clock      the time of every timestamp, ETA, retention cutoff and idle eviction, read to the
 *                   millisecond; the intervals between flushes and sweeps are real time whatever it says
 * @param stallAfter a running job silent this long is {@code stalled} (API §10), and its estimates count the
 *                   silence as a pause
 * @param flushTimer told the duration in nanoseconds of every store write (metrics)
 * @param nodeMeters told what the events between nodes and the store's conflicts do (metrics of a node with a bus
 *                   between nodes; {@link NodeMeters#NONE} otherwise)
 */
public record EngineOptions(
        Duration flushInterval,
        Duration retention,
        Duration retentionSweep,
        Duration cacheIdle,
        int readThreads,
        Clock clock,
        Consumer<Long> flushTimer,
        Duration stallAfter,
        NodeMeters nodeMeters) {

    public static EngineOptions defaults() {
        return new EngineOptions(Duration.ofMillis(200), Duration.ofDays(7), Duration.ofMinutes(1),
                Duration.ofMinutes(10), 4, Clock.systemUTC(), nanos -> { }, Duration.ofSeconds(60), NodeMeters.NONE);
    }

    public EngineOptions withFlushInterval(Duration d) {
        return new EngineOptions(d, retention, retentionSweep, cacheIdle, readThreads, clock, flushTimer,
                stallAfter, nodeMeters);
    }

    public EngineOptions withRetention(Duration d) {
        return new EngineOptions(flushInterval, d, retentionSweep, cacheIdle, readThreads, clock, flushTimer,
                stallAfter, nodeMeters);
    }

    public EngineOptions withRetentionSweep(Duration d) {
        return new EngineOptions(flushInterval, retention, d, cacheIdle, readThreads, clock, flushTimer,
                stallAfter, nodeMeters);
    }

    public EngineOptions withCacheIdle(Duration d) {
        return new EngineOptions(flushInterval, retention, retentionSweep, d, readThreads, clock, flushTimer,
                stallAfter, nodeMeters);
    }

    public EngineOptions withClock(Clock c) {
        return new EngineOptions(flushInterval, retention, retentionSweep, cacheIdle, readThreads, c, flushTimer,
                stallAfter, nodeMeters);
    }

    public EngineOptions withFlushTimer(Consumer<Long> timer) {
        return new EngineOptions(flushInterval, retention, retentionSweep, cacheIdle, readThreads, clock, timer,
                stallAfter, nodeMeters);
    }

    public EngineOptions withStallAfter(Duration d) {
        return new EngineOptions(flushInterval, retention, retentionSweep, cacheIdle, readThreads, clock, flushTimer,
                d, nodeMeters);
    }

    public EngineOptions withNodeMeters(NodeMeters meters) {
        return new EngineOptions(flushInterval, retention, retentionSweep, cacheIdle, readThreads, clock, flushTimer,
                stallAfter, meters);
    }
}
