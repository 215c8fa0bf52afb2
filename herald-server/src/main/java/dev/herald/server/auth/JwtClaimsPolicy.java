package dev.herald.server.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the claims of a token whose signature verified must hold (API §5): {@code exp} is a number and
 * {@code exp + leeway > now}; {@code nbf}, when present, is a number and {@code nbf - leeway <= now};
 * {@code aud} contains the configured audience and {@code iss} equals the configured issuer (when configured);
 * and the claims have the shapes of {@link JwtClaims}.
 */
final class JwtClaimsPolicy {
    /** API §5: a JWT reads or writes; managing keys takes an API key or the admin token, which a short-lived token must not mint. */
    private static final Set<String> SCOPES = Set.of("read", "write");

    private final String audience;
    private final String issuer;
    private final Duration leeway;

    JwtClaimsPolicy(JwtOptions options) {
        this.audience = options.audience();
        this.issuer = options.issuer();
        this.leeway = options.leeway();
    }

    /** The claims, or null when they are refused at {@code now}. */
    JwtClaims check(Map<String, Object> claims, Instant now) {
        Instant exp = numericDate(claims.get("exp"));
        if (exp == null || !exp.isAfter(now.minus(leeway))) {
            return null; // missing, not a number, or exp + leeway <= now
        }
        if (claims.containsKey("nbf")) {
            Instant nbf = numericDate(claims.get("nbf"));
            if (nbf == null || nbf.isAfter(now.plus(leeway))) {
                return null;
            }
        }
        if (audience != null && !audienceMatches(claims.get("aud"))) {
            return null;
        }
        if (issuer != null && !issuer.equals(claims.get("iss"))) {
            return null;
        }
        Object sub = claims.get("sub");
        if (!(sub instanceof String subject) || subject.isEmpty()) {
            return null;
        }
        Set<String> projects = stringSet(claims.get("projects"));
        if (projects == null || projects.isEmpty()) {
            return null;
        }
        Set<String> jobs = null;
        if (claims.containsKey("jobs")) {
            jobs = stringSet(claims.get("jobs")); // explicit null or a non-array is refused, not "no restriction"
            if (jobs == null) {
                return null;
            }
        }
        Object scope = claims.get("scope");
        if (!(scope instanceof String s) || !SCOPES.contains(s)) {
            return null;
        }
        return new JwtClaims(subject, projects, jobs, s, exp);
    }

    private boolean audienceMatches(Object aud) {
        if (aud instanceof String s) {
            return audience.equals(s);
        }
        if (aud instanceof List<?> list) {
            return list.contains(audience);
        }
        return false;
    }

    /** A JSON number of seconds since the epoch (RFC 7519 NumericDate), or null. */
    private static Instant numericDate(Object v) {
        if (v instanceof Long l) {
            return Instant.ofEpochSecond(l);
        }
        if (v instanceof Integer i) {
            return Instant.ofEpochSecond(i);
        }
        if (v instanceof Double d && Double.isFinite(d)) {
            double seconds = Math.floor(d);
            return Instant.ofEpochSecond((long) seconds, (long) ((d - seconds) * 1e9));
        }
        return null;
    }

    /** A JSON array of non-empty strings, or null. */
    private static Set<String> stringSet(Object v) {
        if (!(v instanceof Collection<?> list)) {
            return null;
        }
        Set<String> out = new LinkedHashSet<>();
        for (Object o : list) {
            if (!(o instanceof String s) || s.isEmpty()) {
                return null;
            }
            out.add(s);
        }
        return out;
    }
}
