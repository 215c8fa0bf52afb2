package dev.herald.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks JWTs (API §5) with nimbus-jose-jwt. Built once at start by {@link #create(JwtOptions)}, which reads
 * and checks the key material; {@link #verify(String, Instant)} is then thread-safe and never throws for a bad
 * token: anything wrong with it is an empty answer (a 401). It never logs tokens.
 *
 * <p>A token is accepted only when all hold: it is a compact JWS of at most {@value #MAX_TOKEN_LENGTH}
 * characters; its {@code alg} is exactly the configured one (HS256 for a secret; RS256/ES256 following the
 * public key's type, so {@code none}, other algorithms and HS256-with-the-public-key are refused), with no
 * {@code crit} header and an encoded payload; the signature verifies; and its claims pass the
 * {@link JwtClaimsPolicy}.
 */
public final class JwtVerifier {

    /** Longest token accepted, in characters (8 KiB). */
    public static final int MAX_TOKEN_LENGTH = 8 * 1024;
    /** Three base64url segments, none empty: the shape of a signed compact JWS. */
    private static final Pattern COMPACT_JWS = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

    private final JwtKeys keys;
    private final JwtClaimsPolicy policy;

    private JwtVerifier(JwtKeys keys, JwtOptions options) {
        this.keys = keys;
        this.policy = new JwtClaimsPolicy(options);
    }

    /**
     * Reads and checks the key material of {@code options}.
     *
     * @throws IllegalArgumentException when a key file cannot be read or holds no usable key (the message names
     *                                  the file and says what is wrong)
     */
    public static JwtVerifier create(JwtOptions options) {
        Objects.requireNonNull(options, "options");
        JwtKeys keys;
        if (options.hs256Secret() != null) {
            keys = new JwtKeys.Only(JwtKey.hs256(options.hs256Secret()));
        } else if (options.publicKeyPem() != null) {
            keys = new JwtKeys.Only(PemPublicKeyFile.read(options.publicKeyPem()));
        } else {
            keys = JwksFile.read(options.jwksFile());
        }
        return new JwtVerifier(keys, options);
    }

    /** The algorithms tokens may use ({@code HS256}, {@code RS256}, {@code ES256}). */
    public Set<String> algorithms() {
        return keys.algorithms();
    }

    /**
     * The claims of {@code token} when it is acceptable at {@code now}; empty for any token that is not (malformed,
     * oversized, unsigned, another algorithm, bad signature, expired, not yet valid, wrong audience or issuer,
     * claims of the wrong shape). Never throws for a bad token.
     */
    public Optional<JwtClaims> verify(String token, Instant now) {
        Objects.requireNonNull(now, "now");
        try {
            Map<String, Object> claims = signedClaims(token);
            return Optional.ofNullable(claims == null ? null : policy.check(claims, now));
        } catch (Exception e) {
            // deliberately not logged: messages may quote parts of the token
            return Optional.empty();
        }
    }

    /** The claims of a token whose signature verifies, or null; may also throw for a malformed one. */
    private Map<String, Object> signedClaims(String token) throws java.text.ParseException, JOSEException {
        if (token == null || token.length() > MAX_TOKEN_LENGTH || !COMPACT_JWS.matcher(token).matches()) {
            return null;
        }
        // JWSObject.parse refuses "alg":"none" (a plain header) outright; other algorithms are checked below.
        JWSObject jws = JWSObject.parse(token);
        JWSHeader header = jws.getHeader();
        if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
            return null; // no extension is understood here (RFC 7515 §4.1.11)
        }
        if (!header.isBase64URLEncodePayload()) {
            return null; // RFC 7797 unencoded payloads are not JWTs
        }
        JwtKey key = keys.forKid(header.getKeyID());
        if (key == null || !key.alg().equals(header.getAlgorithm())) {
            return null; // unknown kid, or an algorithm other than the key's (no alg confusion)
        }
        if (!jws.verify(key.verifier())) {
            return null;
        }
        return jws.getPayload().toJSONObject();
    }
}
