package dev.herald.server.auth;

import dev.herald.core.auth.ApiKey;
import dev.herald.core.auth.Scope;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a bearer token into a {@link Principal}: an API key ({@code hk_...}), a JWT
 * (three dot-separated parts, when JWTs are configured), or the admin token.
 * Nothing about a refused token is logged or told apart to the caller.
 */
public final class Authenticator {
    private final byte[] adminToken;
    private final ApiKeys keys;
    private final JwtVerifier jwt;
    private final Clock clock;
    private final Duration jwtLeeway;

    /** @param adminToken null when there is none (JWTs only); @param jwt null when JWTs are not configured */
    public Authenticator(String adminToken, ApiKeys keys, JwtVerifier jwt, Duration jwtLeeway, Clock clock) {
        this.jwtLeeway = jwtLeeway;
        this.adminToken = adminToken == null ? null : adminToken.getBytes(StandardCharsets.UTF_8);
        this.keys = keys;
        this.jwt = jwt;
        this.clock = clock;
    }

    public Optional<Principal> authenticate(String token) {
        if (token == null || token.isEmpty() || token.length() > 8192) {
            return Optional.empty();
        }
        Optional<Principal> found = Optional.empty();
        if (token.startsWith(ApiKeys.PREFIX)) {
            found = keys.verify(token, clock.instant()).map(Authenticator::ofKey);
        } else if (jwt != null && token.chars().filter(c -> c == '.').count() == 2) {
            // streams end when requests would be refused: at exp plus the leeway
            found = jwt.verify(token, clock.instant()).map(c -> new Principal(c.subject(),
                    Scope.fromWire(c.scope()).orElse(Scope.READ), c.projects(), c.jobs(),
                    c.expiresAt().plus(jwtLeeway), null));
        }
        // constant time, so the admin token cannot be guessed byte by byte from response times; checked last,
        // whatever the token looks like, so an operator's own token may have any form
        if (found.isEmpty() && adminToken != null && MessageDigest.isEqual(adminToken, token.getBytes(StandardCharsets.UTF_8))) {
            found = Optional.of(Principal.operator());
        }
        return found;
    }

    private static Principal ofKey(ApiKey key) {
        String subject = key.name() == null || key.name().isBlank() ? "key:" + key.id() : key.name();
        return new Principal(subject, key.scope(), Set.of(key.project()), null, key.expiresAt(), key.id());
    }
}
