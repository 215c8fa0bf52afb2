package dev.herald.cli;

import dev.herald.server.auth.AuthOptions;
import dev.herald.server.auth.JwtOptions;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The credentials {@code herald serve} accepts and the limits put on them. Each field starts at its value in
 * {@link AuthOptions#defaults()} (or {@link JwtOptions}), which {@link CliDefaults} and the help take as the
 * option's default.
 */
final class AuthFlags {
    private static final AuthOptions DEFAULTS = AuthOptions.defaults();

    @Option(names = "--jwt-secret", paramLabel = "SECRET",
            description = "Accept JWTs signed with this HS256 secret (at least 32 bytes). "
                    + "Also HERALD_JWT_SECRET (preferred over the flag).")
    String jwtSecret;

    @Option(names = "--jwt-public-key", paramLabel = "FILE",
            description = "Accept JWTs signed with the private half of this PEM public key: RSA for RS256, "
                    + "EC P-256 for ES256. Also HERALD_JWT_PUBLIC_KEY.")
    Path jwtPublicKey;

    @Option(names = "--jwt-jwks", paramLabel = "FILE",
            description = "Accept JWTs signed by the keys of this JWKS file, chosen by kid. Also HERALD_JWT_JWKS.")
    Path jwtJwks;

    @Option(names = "--jwt-audience", paramLabel = "AUD",
            description = "When set, a JWT's aud must contain it. Also HERALD_JWT_AUDIENCE.")
    String jwtAudience;

    @Option(names = "--jwt-issuer", paramLabel = "ISS",
            description = "When set, a JWT's iss must equal it. Also HERALD_JWT_ISSUER.")
    String jwtIssuer;

    @Option(names = "--jwt-leeway", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Clock skew allowed on a JWT's exp and nbf (default: ${DEFAULT-VALUE}). Also HERALD_JWT_LEEWAY.")
    Duration jwtLeeway = JwtOptions.DEFAULT_LEEWAY;

    @Option(names = "--cors-origin", paramLabel = "ORIGIN", split = ",",
            description = "Let pages from this origin (e.g. https://app.example.com) call the API; repeat or separate "
                    + "with commas. Default: none. Also HERALD_CORS_ORIGIN.")
    List<String> corsOrigins = DEFAULTS.corsOrigins();

    @Option(names = "--write-rate", paramLabel = "N",
            description = "Write requests a second each API key or JWT subject may make, a batch counting once; 0 "
                    + "turns the write limits off; the admin token is not limited (default: ${DEFAULT-VALUE}). "
                    + "Also HERALD_WRITE_RATE.")
    double writeRate = DEFAULTS.writesPerSecond();

    @Option(names = "--write-burst", paramLabel = "N",
            description = "Write requests a credential may make at once above its rate (default: ${DEFAULT-VALUE}). "
                    + "Also HERALD_WRITE_BURST.")
    int writeBurst = DEFAULTS.writeBurst();

    @Option(names = "--batch-entry-rate", paramLabel = "N",
            description = "Entries of POST /progress:batch a second each API key or JWT subject may send; 0 turns "
                    + "this limit off (default: ${DEFAULT-VALUE}). Also HERALD_BATCH_ENTRY_RATE.")
    double batchEntryRate = DEFAULTS.entriesPerSecond();

    @Option(names = "--batch-entry-burst", paramLabel = "N",
            description = "Batch entries a credential may send at once above its rate; a larger batch is refused "
                    + "with 413 (default: ${DEFAULT-VALUE}). Also HERALD_BATCH_ENTRY_BURST.")
    int batchEntryBurst = DEFAULTS.entryBurst();

    @Option(names = "--max-streams-per-key", paramLabel = "N",
            description = "Open SSE streams, WebSockets and long polls each API key or JWT subject may hold (default: "
                    + "${DEFAULT-VALUE}). Also HERALD_MAX_STREAMS_PER_KEY.")
    int maxStreamsPerKey = DEFAULTS.maxStreamsPerCredential();

    /** @throws IllegalArgumentException with a message for the user */
    AuthOptions auth() {
        return DEFAULTS
                .withJwt(jwtOptions())
                .withCorsOrigins(corsOrigins == null ? List.of()
                        : corsOrigins.stream().map(String::trim).filter(o -> !o.isEmpty()).toList())
                .withWriteLimit(writeRate, writeBurst)
                .withEntryLimit(batchEntryRate, batchEntryBurst)
                .withMaxStreamsPerCredential(maxStreamsPerKey);
    }

    /** Null when no JWT key is given: then only API keys and the admin token are accepted. */
    private JwtOptions jwtOptions() {
        String secret = blankToNull(jwtSecret);
        if (secret == null && jwtPublicKey == null && jwtJwks == null) {
            return null;
        }
        return new JwtOptions(secret, jwtPublicKey, jwtJwks, blankToNull(jwtAudience), blankToNull(jwtIssuer),
                jwtLeeway);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
