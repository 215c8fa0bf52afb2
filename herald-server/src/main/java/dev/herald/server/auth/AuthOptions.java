package dev.herald.server.auth;

import java.util.List;

/**
 * Credentials and the limits put on them. Defaults: no JWTs, no CORS origins,
 * 200 writes a second per credential with bursts of 1 000 (a batch counts each
 * entry), 100 open streams per credential. The admin token is not limited.
 *
 * @param jwt             how to check JWTs, or null to accept none
 * @param corsOrigins     origins allowed to call the API from a browser; empty for none
 * @param writesPerSecond 0 turns the write limit off
 */
public record AuthOptions(JwtOptions jwt, List<String> corsOrigins, double writesPerSecond, int writeBurst,
                          int maxStreamsPerCredential) {

    public AuthOptions {
        corsOrigins = corsOrigins == null ? List.of() : List.copyOf(corsOrigins);
        if (writesPerSecond < 0 || writeBurst < 1 || maxStreamsPerCredential < 1) {
            throw new IllegalArgumentException("rate limits must be positive (a write rate of 0 turns it off)");
        }
    }

    public static AuthOptions defaults() {
        return new AuthOptions(null, List.of(), 200, 1000, 100);
    }

    public AuthOptions withJwt(JwtOptions v) {
        return new AuthOptions(v, corsOrigins, writesPerSecond, writeBurst, maxStreamsPerCredential);
    }

    public AuthOptions withCorsOrigins(List<String> v) {
        return new AuthOptions(jwt, v, writesPerSecond, writeBurst, maxStreamsPerCredential);
    }

    public AuthOptions withWriteLimit(double perSecond, int burst) {
        return new AuthOptions(jwt, corsOrigins, perSecond, burst, maxStreamsPerCredential);
    }

    public AuthOptions withMaxStreamsPerCredential(int v) {
        return new AuthOptions(jwt, corsOrigins, writesPerSecond, writeBurst, v);
    }
}
