package dev.herald.client;

import dev.herald.core.command.ClaimRequest;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Settings of a {@link Runner}, from {@link Runner#builder(Herald)}:
 *
 * <pre>{@code
 * Runner runner = Runner.builder(herald)
 *     .handle("import-csv", ctx -> ...)              // at least one type
 *     .concurrency(8)                                // default 1: jobs run at once, one thread each
 *     .lease(Duration.ofSeconds(30))                 // default 30 s (1 s to 1 h), renewed every third of it
 *     .retry(Backoff.exponential(Duration.ofSeconds(1), Duration.ofMinutes(5)))  // the default
 *     .gracePeriod(Duration.ofSeconds(10))           // default 10 s: before an interrupt, and in close()
 *     .worker("importer-1")                          // default host-pid
 *     .start();
 * }</pre>
 */
public final class RunnerBuilder {
    private final ClientHerald herald;
    private final Map<String, Handler> handlers = new LinkedHashMap<>();
    private int concurrency = 1;
    private Duration lease = Duration.ofSeconds(30);
    private Backoff backoff = Backoff.exponential(Duration.ofSeconds(1), Duration.ofMinutes(5));
    private Duration grace = Duration.ofSeconds(10);
    private String worker = defaultWorker();

    RunnerBuilder(Herald herald) {
        if (!(Arguments.required(herald, "herald") instanceof ClientHerald client)) {
            throw new IllegalArgumentException("a Runner needs a Herald made by Herald.builder() (or a server's "
                    + "client()), not a " + herald.getClass().getName());
        }
        this.herald = client;
    }

    private static String defaultWorker() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return host + "-" + ProcessHandle.current().pid();
    }

    /** Runs the jobs of {@code type} with {@code handler}; one handler per type. */
    public RunnerBuilder handle(String type, Handler handler) {
        Arguments.text(type, "type");
        Arguments.required(handler, "handler");
        if (handlers.putIfAbsent(type, handler) != null) {
            throw new IllegalArgumentException("type '" + type + "' already has a handler");
        }
        return this;
    }

    /** How many jobs run at once (default 1, at most 1 000), each on a thread of its own. */
    public RunnerBuilder concurrency(int n) {
        if (n < 1 || n > 1_000) {
            throw new IllegalArgumentException("concurrency must be between 1 and 1000 (got " + n + ")");
        }
        this.concurrency = n;
        return this;
    }

    /**
     * How long a claimed job stays this worker's without news (default 30 s, 1 s to 1 h): every write of the
     * handler extends it, and the runner renews it every third of it; a worker that dies loses its jobs after it.
     */
    public RunnerBuilder lease(Duration lease) {
        long ms = Arguments.required(lease, "lease").toMillis();
        if (ms < 1_000 || ms > ClaimRequest.MAX_LEASE_MS) {
            throw new IllegalArgumentException("lease must be between 1 s and 1 h (got " + lease + ")");
        }
        this.lease = lease;
        return this;
    }

    /** The waits between the attempts of a job whose handler threw (default exponential from 1 s to 5 minutes). */
    public RunnerBuilder retry(Backoff backoff) {
        this.backoff = Arguments.required(backoff, "backoff");
        return this;
    }

    /**
     * How long a handler whose job was cancelled may go on before its thread is interrupted, and how long
     * {@link Runner#close()} lets running handlers finish before giving their jobs back (default 10 s).
     */
    public RunnerBuilder gracePeriod(Duration grace) {
        Arguments.required(grace, "gracePeriod");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("gracePeriod must not be negative (got " + grace + ")");
        }
        this.grace = grace;
        return this;
    }

    /** The name this runner claims under, shown as the lease's holder (default the host's name and the pid). */
    public RunnerBuilder worker(String name) {
        this.worker = Arguments.text(name, "worker");
        return this;
    }

    /** Starts the workers: they claim jobs of the handled types until {@link Runner#close()}. */
    public Runner start() {
        if (handlers.isEmpty()) {
            throw new IllegalStateException("a Runner needs at least one handler: handle(type, handler)");
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "herald-runner-timer");
            t.setDaemon(true);
            return t;
        });
        return new Runner(new RunnerConfig(herald, Map.copyOf(handlers), concurrency, lease, backoff, grace, worker,
                timer));
    }
}
