package dev.herald.server.cli;

import dev.herald.server.HeraldServer;
import dev.herald.server.ServerOptions;
import dev.herald.server.auth.AuthOptions;
import dev.herald.server.auth.JwtOptions;
import dev.herald.server.edge.Limits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

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
    @Spec
    CommandSpec spec;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "${env:HERALD_HOST:-127.0.0.1}",
            description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface). Also HERALD_HOST.")
    String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "${env:HERALD_PORT:-8080}",
            description = "Port to listen on, 0 for any free port (default: ${DEFAULT-VALUE}). Also HERALD_PORT.")
    int port;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "${env:HERALD_DATA:-herald-data}",
            description = "Folder of the embedded store (default: ${DEFAULT-VALUE}). Also HERALD_DATA.")
    Path data;

    @Option(names = "--store", paramLabel = "URL", defaultValue = "${env:HERALD_STORE}",
            description = "A PostgreSQL database to use instead of the embedded store, "
                    + "e.g. postgresql://user:password@db:5432/herald. Also HERALD_STORE.")
    String store;

    @Option(names = "--admin-token", paramLabel = "TOKEN", defaultValue = "${env:HERALD_ADMIN_TOKEN}",
            description = "A fixed admin API key (all projects). Required unless --dev. "
                    + "Also HERALD_ADMIN_TOKEN (preferred: a flag is visible to other users of the machine).")
    String adminToken;

    @Option(names = "--dev", negatable = true, defaultValue = "${env:HERALD_DEV:-false}", fallbackValue = "true",
            description = "Development mode: loopback addresses only; generates an admin key when none is given "
                    + "and prints it with the dashboard's address. Also HERALD_DEV=true.")
    boolean dev;

    @Option(names = "--flush-interval", paramLabel = "DURATION", defaultValue = "${env:HERALD_FLUSH_INTERVAL:-200ms}",
            converter = DurationConverter.class,
            description = "How often progress is written to the store; a crash loses at most this much "
                    + "intermediate progress, never a transition (default: ${DEFAULT-VALUE}). Also HERALD_FLUSH_INTERVAL.")
    Duration flushInterval;

    @Option(names = "--retention", paramLabel = "DURATION", defaultValue = "${env:HERALD_RETENTION:-7d}",
            converter = DurationConverter.class,
            description = "How long finished jobs are kept (default: ${DEFAULT-VALUE}). Also HERALD_RETENTION.")
    Duration retention;

    @Option(names = "--keep-alive", paramLabel = "DURATION", defaultValue = "${env:HERALD_KEEP_ALIVE:-15s}",
            converter = DurationConverter.class,
            description = "Longest silence on an event stream before a keep-alive comment (default: ${DEFAULT-VALUE}). "
                    + "Also HERALD_KEEP_ALIVE.")
    Duration keepAlive;

    @Option(names = "--header-timeout", paramLabel = "DURATION", defaultValue = "${env:HERALD_HEADER_TIMEOUT:-10s}",
            converter = DurationConverter.class,
            description = "How long a new connection may take to send its first request head, however slowly it "
                    + "trickles in (slow-loris protection; default: ${DEFAULT-VALUE}). Also HERALD_HEADER_TIMEOUT.")
    Duration headerTimeout;

    @Option(names = "--max-queued-per-reader", paramLabel = "N",
            defaultValue = "${env:HERALD_MAX_QUEUED_PER_READER:-10000}",
            description = "Status and log events a slow reader may have waiting before it is disconnected; it then "
                    + "resumes from its cursor (default: ${DEFAULT-VALUE}). Also HERALD_MAX_QUEUED_PER_READER.")
    int maxQueuedPerReader;

    @Option(names = "--jwt-secret", paramLabel = "SECRET", defaultValue = "${env:HERALD_JWT_SECRET}",
            description = "Accept JWTs signed with this HS256 secret (at least 32 bytes). "
                    + "Also HERALD_JWT_SECRET (preferred over the flag).")
    String jwtSecret;

    @Option(names = "--jwt-public-key", paramLabel = "FILE", defaultValue = "${env:HERALD_JWT_PUBLIC_KEY}",
            description = "Accept JWTs signed with the private half of this PEM public key: RSA for RS256, "
                    + "EC P-256 for ES256. Also HERALD_JWT_PUBLIC_KEY.")
    Path jwtPublicKey;

    @Option(names = "--jwt-jwks", paramLabel = "FILE", defaultValue = "${env:HERALD_JWT_JWKS}",
            description = "Accept JWTs signed by the keys of this JWKS file, chosen by kid. Also HERALD_JWT_JWKS.")
    Path jwtJwks;

    @Option(names = "--jwt-audience", paramLabel = "AUD", defaultValue = "${env:HERALD_JWT_AUDIENCE}",
            description = "When set, a JWT's aud must contain it. Also HERALD_JWT_AUDIENCE.")
    String jwtAudience;

    @Option(names = "--jwt-issuer", paramLabel = "ISS", defaultValue = "${env:HERALD_JWT_ISSUER}",
            description = "When set, a JWT's iss must equal it. Also HERALD_JWT_ISSUER.")
    String jwtIssuer;

    @Option(names = "--jwt-leeway", paramLabel = "DURATION", defaultValue = "${env:HERALD_JWT_LEEWAY:-30s}",
            converter = DurationConverter.class,
            description = "Clock skew allowed on a JWT's exp and nbf (default: ${DEFAULT-VALUE}). Also HERALD_JWT_LEEWAY.")
    Duration jwtLeeway;

    @Option(names = "--cors-origin", paramLabel = "ORIGIN", split = ",", defaultValue = "${env:HERALD_CORS_ORIGIN}",
            description = "Let pages from this origin (e.g. https://app.example.com) call the API; repeat or separate "
                    + "with commas. Default: none. Also HERALD_CORS_ORIGIN.")
    List<String> corsOrigins;

    @Option(names = "--write-rate", paramLabel = "N", defaultValue = "${env:HERALD_WRITE_RATE:-200}",
            description = "Writes a second each API key or JWT subject may make, a batch counting each entry; 0 turns "
                    + "the limit off; the admin token is not limited (default: ${DEFAULT-VALUE}). Also HERALD_WRITE_RATE.")
    double writeRate;

    @Option(names = "--write-burst", paramLabel = "N", defaultValue = "${env:HERALD_WRITE_BURST:-1000}",
            description = "Writes a credential may make at once above its rate (default: ${DEFAULT-VALUE}). "
                    + "Also HERALD_WRITE_BURST.")
    int writeBurst;

    @Option(names = "--max-streams-per-key", paramLabel = "N", defaultValue = "${env:HERALD_MAX_STREAMS_PER_KEY:-100}",
            description = "Open SSE streams, WebSockets and long polls each API key or JWT subject may hold (default: "
                    + "${DEFAULT-VALUE}). Also HERALD_MAX_STREAMS_PER_KEY.")
    int maxStreamsPerKey;

    @Option(names = "--max-body-bytes", paramLabel = "N", defaultValue = "${env:HERALD_MAX_BODY_BYTES:-65536}",
            description = "Largest request body, in bytes (a complete body may add the largest result) (default: ${DEFAULT-VALUE}). Also HERALD_MAX_BODY_BYTES.")
    int maxBodyBytes;

    @Option(names = "--max-message-chars", paramLabel = "N", defaultValue = "${env:HERALD_MAX_MESSAGE_CHARS:-2048}",
            description = "Longest progress, log or error message, in characters (default: ${DEFAULT-VALUE}). Also HERALD_MAX_MESSAGE_CHARS.")
    int maxMessageChars;

    @Option(names = "--max-metadata-bytes", paramLabel = "N", defaultValue = "${env:HERALD_MAX_METADATA_BYTES:-8192}",
            description = "Largest metadata object, in bytes of compact JSON (default: ${DEFAULT-VALUE}). Also HERALD_MAX_METADATA_BYTES.")
    int maxMetadataBytes;

    @Option(names = "--max-result-bytes", paramLabel = "N", defaultValue = "${env:HERALD_MAX_RESULT_BYTES:-1048576}",
            description = "Largest job result, in bytes of compact JSON (default: ${DEFAULT-VALUE}). Also HERALD_MAX_RESULT_BYTES.")
    int maxResultBytes;

    @Option(names = "--max-json-depth", paramLabel = "N", defaultValue = "${env:HERALD_MAX_JSON_DEPTH:-32}",
            description = "Deepest nesting of objects and arrays in a request (default: ${DEFAULT-VALUE}). Also HERALD_MAX_JSON_DEPTH.")
    int maxDepth;

    @Option(names = "--max-name-chars", paramLabel = "N", defaultValue = "${env:HERALD_MAX_NAME_CHARS:-200}",
            description = "Longest name, type, stage, unit, project or idempotency key, in characters (default: ${DEFAULT-VALUE}). Also HERALD_MAX_NAME_CHARS.")
    int maxNameChars;

    @Option(names = "--max-stages", paramLabel = "N", defaultValue = "${env:HERALD_MAX_STAGES:-100}",
            description = "Most stages of one job (default: ${DEFAULT-VALUE}). Also HERALD_MAX_STAGES.")
    int maxStages;

    @Option(names = "--max-batch-entries", paramLabel = "N", defaultValue = "${env:HERALD_MAX_BATCH_ENTRIES:-1000}",
            description = "Most entries of one progress batch (default: ${DEFAULT-VALUE}). Also HERALD_MAX_BATCH_ENTRIES.")
    int maxBatchEntries;

    @Option(names = "--max-log-fields-bytes", paramLabel = "N", defaultValue = "${env:HERALD_MAX_LOG_FIELDS_BYTES:-8192}",
            description = "Largest fields object of a log line, in bytes of compact JSON (default: ${DEFAULT-VALUE}). Also HERALD_MAX_LOG_FIELDS_BYTES.")
    int maxLogFieldsBytes;

    @Option(names = "--max-subscriptions", paramLabel = "N", defaultValue = "${env:HERALD_MAX_SUBSCRIPTIONS:-1000}",
            description = "Most jobs one SSE request or WebSocket connection may subscribe to (default: ${DEFAULT-VALUE}). Also HERALD_MAX_SUBSCRIPTIONS.")
    int maxSubscriptions;

    @Mixin
    ConfigOption config;

    /** The options as the server takes them. */
    ServerOptions options() {
        return ServerOptions.defaults()
                .withHost(host)
                .withPort(port)
                .withDataDir(data)
                .withStore(store == null || store.isBlank() ? null : store.trim())
                .withAdminToken(adminToken == null || adminToken.isBlank() ? null : adminToken.trim())
                .withDev(dev)
                .withFlushInterval(flushInterval)
                .withRetention(retention)
                .withKeepAlive(keepAlive)
                .withHeaderTimeout(headerTimeout)
                .withMaxQueuedPerReader(maxQueuedPerReader)
                .withLimits(new Limits(maxBodyBytes, maxMessageChars, maxMetadataBytes, maxResultBytes, maxDepth,
                        maxNameChars, maxStages, maxBatchEntries, maxLogFieldsBytes, maxSubscriptions))
                .withAuth(AuthOptions.defaults()
                        .withJwt(jwtOptions())
                        .withCorsOrigins(corsOrigins == null ? List.of()
                                : corsOrigins.stream().map(String::trim).filter(o -> !o.isEmpty()).toList())
                        .withWriteLimit(writeRate, writeBurst)
                        .withMaxStreamsPerCredential(maxStreamsPerKey));
    }

    /** Null when no JWT key is given: then only API keys and the admin token are accepted. */
    private JwtOptions jwtOptions() {
        String secret = jwtSecret == null || jwtSecret.isBlank() ? null : jwtSecret;
        if (secret == null && jwtPublicKey == null && jwtJwks == null) {
            return null;
        }
        return new JwtOptions(secret, jwtPublicKey, jwtJwks, blankToNull(jwtAudience), blankToNull(jwtIssuer),
                jwtLeeway);
    }

    private static boolean isPositive(Duration d) {
        return !d.isZero() && !d.isNegative();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
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
        ServerOptions options;
        try {
            options = options();
        } catch (IllegalArgumentException e) {
            err.println("herald: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        HeraldServer server = start(options, err);
        if (server == null) {
            return ExitCodes.USAGE;
        }
        CountDownLatch stopped = closeOnShutdown(server, null);
        out.println("Herald listening on " + server.baseUrl());
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

    /** Starts the server; on a configuration error prints its message (no stack trace) and returns null. */
    static HeraldServer start(ServerOptions options, PrintWriter err) {
        try {
            return HeraldServer.start(options);
        } catch (IllegalStateException | IllegalArgumentException e) {
            err.println("herald: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            err.flush();
            return null;
        }
    }

    /**
     * Closes the server when the JVM is asked to stop (SIGTERM, Ctrl-C), then runs
     * {@code after} (may be null); the latch opens once that is done.
     */
    static CountDownLatch closeOnShutdown(HeraldServer server, Runnable after) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
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
