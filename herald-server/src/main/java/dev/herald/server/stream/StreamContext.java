package dev.herald.server.stream;

import dev.herald.core.engine.JobEngine;
import dev.herald.server.auth.Access;
import dev.herald.server.edge.Limits;
import dev.herald.server.metrics.HeraldMetrics;
import io.vertx.core.Vertx;

import java.time.Clock;
import java.time.Duration;

/**
 * What the three ways of following jobs (Server-Sent Events, WebSocket, long polling) share.
 *
 * @param openStreams the open streams and long polls, counted per credential
 * @param maxQueued status/log events a slow reader may have waiting before it is cut off
 * @param keepAlive longest silence on a stream before it says something
 * @param clock the wall time that heartbeats tell
 */
public record StreamContext(Vertx vertx, JobEngine engine, Access access, FanOut fanOut, OpenStreams openStreams,
                            HeraldMetrics metrics, Limits limits, int maxQueued, Duration keepAlive, Clock clock) {
}
