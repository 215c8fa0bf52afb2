package dev.herald.server.auth;

import java.util.List;

/**
 * Credentials and the limits put on them. Defaults: no JWTs, no CORS origins; per credential 1 000 write
 * requests a second with bursts of 2 000 (a batch is one request), 20 000 batch entries a second with bursts of
 * 20 000, and 1 000 open streams. The admin token is not limited. docs/security.md says why these figures.
 *
 * @param jwt             how to check JWTs, or null to accept none
 * @param corsOrigins     origins allowed to call the API from a browser; empty for none
 * @param writesPerSecond write requests a second, each counting once; 0 turns the write limits off
 * @param writeBurst      write requests a credential may make at once above its rate
 * @param entriesPerSecond entries of {@code POST /progress:batch} a second; 0 turns this limit off
 * @param entryBurst      batch entries a credential may send at once above its rate
 */
public record AuthOptions(JwtOptions jwt, List<String> corsOrigins, double writesPerSecond, int writeBurst,
                          double entriesPerSecond, int entryBurst, int maxStreamsPerCredential) {

    public AuthOptions {
        corsOrigins = corsOrigins == null ? List.of() : List.copyOf(corsOrigins);
        if (writesPerSecond < 0 || writeBurst < 1 || entriesPerSecond < 0 || entryBurst < 1
                || maxStreamsPerCredential < 1) {
            throw new IllegalArgumentException("rate limits must be positive (a rate of 0 turns it off)");
        }
    }

    public static AuthOptions defaults() {
        return new AuthOptions(null, List.of(), 1000, 2000, 20_000, 20_000, 1000);
    }

    public AuthOptions withJwt(JwtOptions v) {
        return new AuthOptions(v, corsOrigins, writesPerSecond, writeBurst, entriesPerSecond, entryBurst,
                maxStreamsPerCredential);
    }

    public AuthOptions withCorsOrigins(List<String> v) {
        return new AuthOptions(jwt, v, writesPerSecond, writeBurst, entriesPerSecond, entryBurst,
                maxStreamsPerCredential);
    }

    /** The request budget: every write request takes one, a batch too. */
    public AuthOptions withWriteLimit(double perSecond, int burst) {
        return new AuthOptions(jwt, corsOrigins, perSecond, burst, entriesPerSecond, entryBurst,
                maxStreamsPerCredential);
    }

    /** The entry budget: a batch takes one per entry. */
    public AuthOptions withEntryLimit(double perSecond, int burst) {
        return new AuthOptions(jwt, corsOrigins, writesPerSecond, writeBurst, perSecond, burst,
                maxStreamsPerCredential);
    }

    public AuthOptions withMaxStreamsPerCredential(int v) {
        return new AuthOptions(jwt, corsOrigins, writesPerSecond, writeBurst, entriesPerSecond, entryBurst, v);
    }
}
