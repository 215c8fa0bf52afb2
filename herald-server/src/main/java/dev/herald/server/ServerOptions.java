package dev.herald.server;

import dev.herald.core.engine.EngineOptions;
import dev.herald.server.auth.AuthOptions;
import dev.herald.server.edge.Limits;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * Everything {@code herald serve} can be told. Every option is also a flag and a
 * {@code HERALD_*} variable (see {@code herald serve --help}); the defaults here are the
 * only ones, which the command line, its help and the README's table read.
 *
 * @param host          address to listen on (default 127.0.0.1)
 * @param port          port, 0 for any free one (default 8080)
 * @param dataDir       folder of the embedded store (default ./herald-data)
 * @param store         a PostgreSQL URL to use instead of the embedded store, or null
 * @param bus           {@code redis://host:port[/name]}: Redis carries events between the nodes of a cluster on
 *                      one PostgreSQL store (docs/cluster.md §4), on channels of {@code name} (default
 *                      {@code herald}); null: events stay in this process
 * @param adminToken    the admin API key; required unless {@code dev} or JWTs are configured
 * @param dev           development mode: loopback only, an admin key is generated when none is given
 * @param flushInterval how often progress is written behind (default: the engine's, 200 ms)
 * @param retention     how long finished jobs are kept (default: the engine's, 7 days)
 * @param stallAfter    a running job silent this long is stalled (default: the engine's, 60 s)
 * @param keepAlive     longest silence on a stream before a keep-alive comment (default 15 s)
 * @param headerTimeout how long a connection may take to send a whole request head (default 10 s)
 * @param maxQueuedPerReader status/log events a slow reader may have waiting before it is cut off, and states
 *                           beyond which its progress conflates although its connection takes more
 * @param limits        input limits (API §6)
 * @param auth          JWTs, CORS and the limits per credential
 * @param clock         the wall time of the engine's timestamps, of key and token expiry and of heartbeats
 *                      (default: the system clock in UTC); not a flag: tests set it
 * @param drain         how long a stopping server answers {@code /health/ready} with 503 {@code draining} while it
 *                      still serves, before its servers close (docs/cluster.md §7; default 0, {@code herald serve}'s 5 s)
 * @param nextHeadTimeout how long a kept-alive connection may take to send its next request head after an answer
 *                      (null, the default: the {@link #idleTimeout}); not a flag: tests shorten it
 */
public record ServerOptions(
        String host,
        int port,
        Path dataDir,
        String store,
        String bus,
        String adminToken,
        boolean dev,
        Duration flushInterval,
        Duration retention,
        Duration stallAfter,
        Duration keepAlive,
        Duration headerTimeout,
        int maxQueuedPerReader,
        Limits limits,
        AuthOptions auth,
        Clock clock,
        Duration drain,
        Duration nextHeadTimeout) {

    public static ServerOptions defaults() {
        EngineOptions engine = EngineOptions.defaults();
        return new ServerOptions("127.0.0.1", 8080, Path.of("herald-data"), null, null, null, false,
                engine.flushInterval(), engine.retention(), engine.stallAfter(), Duration.ofSeconds(15),
                Duration.ofSeconds(10), 10_000, Limits.defaults(), AuthOptions.defaults(), Clock.systemUTC(),
                Duration.ZERO, null);
    }

    public ServerOptions withHost(String v) {
        return new ServerOptions(v, port, dataDir, store, bus, adminToken, dev, flushInterval, retention, stallAfter,
                keepAlive, headerTimeout, maxQueuedPerReader, limits, auth, clock, drain, nextHeadTimeout);
    }

    public ServerOptions withPort(int v) {
        return new ServerOptions(host, v, dataDir, store, bus, adminToken, dev, flushInterval, retention, stallAfter,
                keepAlive, headerTimeout, maxQueuedPerReader, limits, auth, clock, drain, nextHeadTimeout);
    }

    public ServerOptions withDataDir(Path v) {
        return new ServerOptions(host, port, v, store, bus, adminToken, dev, flushInterval, retention, stallAfter,
                keepAlive, headerTimeout, maxQueuedPerReader, limits, auth, clock, drain, nextHeadTimeout);
    }

    public ServerOptions withStore(String v) {
        return new ServerOptions(host, port, dataDir, v, bus, adminToken, dev, flushInterval, retention, stallAfter,
                keepAlive, headerTimeout, maxQueuedPerReader, limits, auth, clock, drain, nextHeadTimeout);
    }

    public ServerOptions withBus(String v) {
        return new ServerOptions(host, port, dataDir, store, v, adminToken, dev, flushInterval, retention, stallAfter,
                keepAlive, headerTimeout, maxQueuedPerReader, limits, auth, clock, drain, nextHeadTimeout);
    }

    public ServerOptions withAdminToken(String v) {
        return new ServerOptions(host, port, dataDir, store, bus, v, dev, flushInterval, retention, stallAfter,
                keepAlive, headerTimeout, maxQueuedPerReader, limits, auth, clock, drain, nextHeadTimeout);
    }

    public ServerOptions withDev(boolean v) {
        return new ServerOptions(host, port, dataDir, store, bus, adminToken, v, flushInterval, retention, stallAfter,
                keepAlive, headerTimeout, maxQueuedPerReader, limits, auth, clock, drain, nextHeadTimeout);
    }

    public ServerOptions withFlushInterval(Duration v) {
        return new ServerOptions(host, port, dataDir, store, bus, adminToken, dev, v, retention, stallAfter, keepAlive,
                headerTimeout, maxQueuedPerReader, limits, auth, clock, drain, nextHeadTimeout);
    }

    public ServerOptions withRetention(Duration v) {
        return new ServerOptions(host, port, dataDir, store, bus, adminToken, dev, flushInterval, v, stallAfter,
                keepAlive, headerTimeout, maxQueuedPerReader, limits, auth, clock, drain, nextHeadTimeout);
    }

    public ServerOptions withStallAfter(Duration v) {
        return new ServerOptions(host, port, dataDir, store, bus, adminToken, dev, flushInterval, retention, v,
                keepAlive, headerTimeout, maxQueuedPerReader, limits, auth, clock, drain, nextHeadTimeout);
    }

    public ServerOptions withKeepAlive(Duration v) {
        return new ServerOptions(host, port, dataDir, store, bus, adminToken, dev, flushInterval, retention, stallAfter,
                v, headerTimeout, maxQueuedPerReader, limits, auth, clock, drain, nextHeadTimeout);
    }

    public ServerOptions withHeaderTimeout(Duration v) {
        return new ServerOptions(host, port, dataDir, store, bus, adminToken, dev, flushInterval, retention, stallAfter,
                keepAlive, v, maxQueuedPerReader, limits, auth, clock, drain, nextHeadTimeout);
    }

    public ServerOptions withMaxQueuedPerReader(int v) {
        return new ServerOptions(host, port, dataDir, store, bus, adminToken, dev, flushInterval, retention, stallAfter,
                keepAlive, headerTimeout, v, limits, auth, clock, drain, nextHeadTimeout);
    }

    public ServerOptions withLimits(Limits v) {
        return new ServerOptions(host, port, dataDir, store, bus, adminToken, dev, flushInterval, retention, stallAfter,
                keepAlive, headerTimeout, maxQueuedPerReader, v, auth, clock, drain, nextHeadTimeout);
    }

    public ServerOptions withAuth(AuthOptions v) {
        return new ServerOptions(host, port, dataDir, store, bus, adminToken, dev, flushInterval, retention, stallAfter,
                keepAlive, headerTimeout, maxQueuedPerReader, limits, v, clock, drain, nextHeadTimeout);
    }

    public ServerOptions withClock(Clock v) {
        return new ServerOptions(host, port, dataDir, store, bus, adminToken, dev, flushInterval, retention, stallAfter,
                keepAlive, headerTimeout, maxQueuedPerReader, limits, auth, v, drain, nextHeadTimeout);
    }

    public ServerOptions withDrain(Duration v) {
        return new ServerOptions(host, port, dataDir, store, bus, adminToken, dev, flushInterval, retention, stallAfter,
                keepAlive, headerTimeout, maxQueuedPerReader, limits, auth, clock, v, nextHeadTimeout);
    }

    public ServerOptions withNextHeadTimeout(Duration v) {
        return new ServerOptions(host, port, dataDir, store, bus, adminToken, dev, flushInterval, retention, stallAfter,
                keepAlive, headerTimeout, maxQueuedPerReader, limits, auth, clock, drain, v);
    }

    @Override
    public Duration nextHeadTimeout() {
        return nextHeadTimeout != null ? nextHeadTimeout : idleTimeout();
    }

    /** Silence that closes a connection: streams speak at least every keep-alive and long polls answer within 60 s. */
    public Duration idleTimeout() {
        return Duration.ofSeconds(Math.max(75, keepAlive.toSeconds() * 3));
    }
}
