package dev.herald.cli;

import dev.herald.server.HeraldServer;
import dev.herald.server.ServerOptions;
import dev.herald.server.cluster.ClusterOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code herald serve}: runs the server until SIGTERM or Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = HeraldCli.Version.class, sortOptions = false,
        description = {
                "Run the Herald server: REST, Server-Sent Events, WebSocket and the dashboard.",
                "State lives in an embedded store in --data unless --store names a PostgreSQL database. "
                        + "The server refuses to start without --admin-token, except with --dev on a loopback "
                        + "address, where it generates an admin key and prints it once with the dashboard's address. "
                        + "Runs until SIGTERM or Ctrl-C, then closes cleanly."},
        footer = ExitCodes.HELP_TEXT + CliDefaults.FOOTER)
final class ServeCommand implements Callable<Integer> {
    private static final ServerOptions DEFAULTS = ServerOptions.defaults();

    @Spec
    CommandSpec spec;

    @Option(names = "--host", paramLabel = "HOST",
            description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface). Also HERALD_HOST.")
    String host = DEFAULTS.host();

    @Option(names = "--port", paramLabel = "PORT",
            description = "Port to listen on, 0 for any free port (default: ${DEFAULT-VALUE}). Also HERALD_PORT.")
    int port = DEFAULTS.port();

    @Option(names = "--data", paramLabel = "DIR",
            description = "Folder of the embedded store (default: ${DEFAULT-VALUE}). Also HERALD_DATA.")
    Path data = DEFAULTS.dataDir();

    @Option(names = "--store", paramLabel = "URL",
            description = "A PostgreSQL database to use instead of the embedded store, "
                    + "e.g. postgresql://user:password@db:5432/herald. Also HERALD_STORE.")
    String store = DEFAULTS.store();

    @Option(names = "--bus", paramLabel = "URL",
            description = "Redis between the nodes of a cluster on one --store: redis://host:port[/name], the path "
                    + "naming the cluster's channels (default: the --cluster name, else herald). Also HERALD_BUS.")
    String bus = DEFAULTS.bus();

    @Option(names = "--admin-token", paramLabel = "TOKEN",
            description = "A fixed admin API key (all projects). Required unless --dev. "
                    + "Also HERALD_ADMIN_TOKEN (preferred: a flag is visible to other users of the machine).")
    String adminToken = DEFAULTS.adminToken();

    @Option(names = "--dev", negatable = true, fallbackValue = "true",
            description = "Development mode: loopback addresses only; generates an admin key when none is given "
                    + "and prints it with the dashboard's address. Also HERALD_DEV=true.")
    boolean dev = DEFAULTS.dev();

    @Option(names = "--flush-interval", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How often progress is written to the store; a crash loses at most this much "
                    + "intermediate progress, never a transition (default: ${DEFAULT-VALUE}). Also HERALD_FLUSH_INTERVAL.")
    Duration flushInterval = DEFAULTS.flushInterval();

    @Option(names = "--retention", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long finished jobs are kept (default: ${DEFAULT-VALUE}). Also HERALD_RETENTION.")
    Duration retention = DEFAULTS.retention();

    @Option(names = "--stall-after", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "A running job silent this long is marked stalled until its next write "
                    + "(default: ${DEFAULT-VALUE}). Also HERALD_STALL_AFTER.")
    Duration stallAfter = DEFAULTS.stallAfter();

    @Option(names = "--keep-alive", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Longest silence on an event stream before a keep-alive comment (default: ${DEFAULT-VALUE}). "
                    + "Also HERALD_KEEP_ALIVE.")
    Duration keepAlive = DEFAULTS.keepAlive();

    @Option(names = "--header-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long a new connection may take to send its first request head, however slowly it "
                    + "trickles in (slow-loris protection; default: ${DEFAULT-VALUE}). Also HERALD_HEADER_TIMEOUT.")
    Duration headerTimeout = DEFAULTS.headerTimeout();

    @Option(names = "--drain", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "On stopping (SIGTERM), how long /health/ready answers 503 draining while requests are "
                    + "still served, before the server closes, so a load balancer moves traffic off first "
                    + "(default: ${DEFAULT-VALUE}; 0s: none). Also HERALD_DRAIN.")
    Duration drain = Duration.ofSeconds(5);

    @Option(names = "--bus-connect-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "With --bus: how long a node that has not yet reached Redis keeps trying, serving but not "
                    + "ready (bus down), before it stops with an error (default: ${DEFAULT-VALUE}; 0s: no bound). "
                    + "Also HERALD_BUS_CONNECT_TIMEOUT.")
    Duration busConnectTimeout = Duration.ofSeconds(60);

    @Option(names = "--max-queued-per-reader", paramLabel = "N",
            description = "Status and log events a slow reader may have waiting before it is disconnected; it then "
                    + "resumes from its cursor (default: ${DEFAULT-VALUE}). Also HERALD_MAX_QUEUED_PER_READER.")
    int maxQueuedPerReader = DEFAULTS.maxQueuedPerReader();

    @Mixin
    AuthFlags auth;

    @Mixin
    LimitFlags limits;

    @Mixin
    ClusterFlags cluster;

    @Mixin
    LogFlags logging;

    @Mixin
    ConfigOption config;

    /**
     * The options as the server takes them.
     *
     * @throws IllegalArgumentException with a message for the user
     */
    ServerOptions options() {
        return DEFAULTS
                .withHost(host)
                .withPort(port)
                .withDataDir(data)
                .withStore(trimmedOrNull(store))
                .withBus(trimmedOrNull(bus))
                .withAdminToken(trimmedOrNull(adminToken))
                .withDev(dev)
                .withFlushInterval(flushInterval)
                .withRetention(retention)
                .withStallAfter(stallAfter)
                .withKeepAlive(keepAlive)
                .withHeaderTimeout(headerTimeout)
                .withMaxQueuedPerReader(maxQueuedPerReader)
                .withDrain(drain)
                .withLimits(limits.limits())
                .withAuth(auth.auth());
    }

    private static boolean isPositive(Duration d) {
        return !d.isZero() && !d.isNegative();
    }

    private static String trimmedOrNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (port < 0 || port > 65_535) {
            err.println("herald: --port must be between 0 and 65535, not " + port);
            return ExitCodes.USAGE;
        }
        if (maxQueuedPerReader < 1 || !isPositive(keepAlive) || !isPositive(headerTimeout)) {
            err.println("herald: --max-queued-per-reader, --keep-alive and --header-timeout must be positive");
            return ExitCodes.USAGE;
        }
        if (drain.isNegative() || busConnectTimeout.isNegative()) {
            err.println("herald: --drain and --bus-connect-timeout must not be negative");
            return ExitCodes.USAGE;
        }
        ServerOptions options;
        ClusterOptions clusterOptions;
        try {
            options = options();
            clusterOptions = cluster.options(options.host());
            if (clusterOptions != null && options.bus() == null) {
                // without it a reader sees only the jobs its own node owns
                throw new IllegalArgumentException("--cluster needs --bus redis://host:port: the nodes' events reach"
                        + " each other's readers through it");
            }
        } catch (IllegalArgumentException e) {
            err.println("herald: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        logging.apply();
        HeraldServer server = start(options, clusterOptions, err);
        if (server == null) {
            return ExitCodes.USAGE;
        }
        CountDownLatch stopped = closeOnShutdown(null, server, null);
        if (options.bus() != null && !busConnectTimeout.isZero()) {
            stopUnlessConnected(server, options.bus(), err);
        }
        out.println("Herald listening on " + server.baseUrl());
        if (server.clusterAddress() != null) {
            out.println("Node of cluster " + clusterOptions.name() + ", reached by its peers at "
                    + server.clusterAddress());
        }
        if (options.dev()) {
            if (options.adminToken() == null) {
                out.println("Development mode. Admin key (shown once, not stored in clear): " + server.adminToken());
            }
            out.println("Dashboard: " + server.dashboardUrl());
        }
        out.flush();
        stopped.await();
        return ExitCodes.OK;
    }

    /** A node that never reached Redis within --bus-connect-timeout has the wrong address, or no Redis: it stops. */
    private void stopUnlessConnected(HeraldServer server, String bus, PrintWriter err) {
        server.busConnected().orTimeout(busConnectTimeout.toMillis(), TimeUnit.MILLISECONDS).exceptionally(e -> {
            err.println("herald: Redis at " + bus + " could not be reached within " + busConnectTimeout.toSeconds()
                    + " s (--bus-connect-timeout); stopping");
            err.flush();
            System.exit(ExitCodes.SERVER_ERROR);
            return null;
        });
    }

    /** Starts the server; on a configuration error prints its message (no stack trace) and returns null. */
    static HeraldServer start(ServerOptions options, PrintWriter err) {
        return start(options, null, err);
    }

    /** {@link #start(ServerOptions, PrintWriter)} as a node of a cluster, or alone when {@code cluster} is null. */
    static HeraldServer start(ServerOptions options, ClusterOptions cluster, PrintWriter err) {
        try {
            return HeraldServer.start(options, cluster);
        } catch (IllegalStateException | IllegalArgumentException e) {
            err.println("herald: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            err.flush();
            return null;
        }
    }

    /**
     * When the JVM is asked to stop (SIGTERM, Ctrl-C): runs {@code before}, closes the server, then runs
     * {@code after} (either may be null); the latch opens once that is done.
     */
    static CountDownLatch closeOnShutdown(Runnable before, HeraldServer server, Runnable after) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                if (before != null) {
                    before.run();
                }
                server.close();
            } catch (RuntimeException e) {
                System.err.println("herald: error while stopping: " + e);
            } finally {
                if (after != null) {
                    after.run();
                }
                stopped.countDown();
            }
        }, "herald-shutdown"));
        return stopped;
    }
}
