package dev.herald.server.auth;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How {@code herald serve} checks JWTs (API §5). Exactly one key source:
 * <ul>
 *   <li>{@code hs256Secret} ({@code --jwt-secret}): HS256, the secret's UTF-8 bytes are the key;
 *       at least 32 bytes, as RFC 7518 §3.2 requires a key of at least 256 bits;</li>
 *   <li>{@code publicKeyPem} ({@code --jwt-public-key}): an RSA or EC P-256 public key in PEM
 *       ({@code -----BEGIN PUBLIC KEY-----}, SubjectPublicKeyInfo); RSA means RS256, EC means ES256;</li>
 *   <li>{@code jwksFile}: a JWKS JSON file of RSA / EC P-256 public keys, chosen by the token's {@code kid}.</li>
 * </ul>
 * Files are only read by {@link JwtVerifier#create(JwtOptions)}.
 *
 * @param hs256Secret  the HS256 shared secret, or null
 * @param publicKeyPem a PEM public key file, or null
 * @param jwksFile     a JWKS file, or null
 * @param audience     when set, a token's {@code aud} must contain it
 * @param issuer       when set, a token's {@code iss} must equal it
 * @param leeway       clock skew allowed on {@code exp} and {@code nbf} (null means the default, 30 s)
 */
public record JwtOptions(
        String hs256Secret,
        Path publicKeyPem,
        Path jwksFile,
        String audience,
        String issuer,
        Duration leeway) {

    /** The leeway used when none is given. */
    public static final Duration DEFAULT_LEEWAY = Duration.ofSeconds(30);
    /** The shortest HS256 secret accepted, in bytes (RFC 7518 §3.2: at least 256 bits). */
    public static final int MIN_SECRET_BYTES = 32;

    public JwtOptions {
        int sources = (hs256Secret != null ? 1 : 0) + (publicKeyPem != null ? 1 : 0) + (jwksFile != null ? 1 : 0);
        if (sources != 1) {
            throw new IllegalArgumentException(sources == 0
                    ? "JWT verification needs a key: give --jwt-secret (HS256) or --jwt-public-key (RS256/ES256 PEM) or a JWKS file"
                    : "JWT verification takes exactly one key source: give only one of --jwt-secret, --jwt-public-key, a JWKS file");
        }
        if (hs256Secret != null) {
            int bytes = hs256Secret.getBytes(StandardCharsets.UTF_8).length;
            if (bytes < MIN_SECRET_BYTES) {
                throw new IllegalArgumentException("--jwt-secret is too short: " + bytes + " bytes; HS256 needs at least "
                        + MIN_SECRET_BYTES + " bytes (256 bits, RFC 7518 §3.2), e.g. `openssl rand -base64 48`");
            }
        }
        if (audience != null && audience.isBlank()) {
            throw new IllegalArgumentException("the JWT audience must not be blank (leave it unset to skip the aud check)");
        }
        if (issuer != null && issuer.isBlank()) {
            throw new IllegalArgumentException("the JWT issuer must not be blank (leave it unset to skip the iss check)");
        }
        if (leeway == null) {
            leeway = DEFAULT_LEEWAY;
        } else if (leeway.isNegative()) {
            throw new IllegalArgumentException("the JWT leeway must not be negative: " + leeway);
        }
    }

    /** HS256 with this shared secret. */
    public static JwtOptions hs256(String secret) {
        return new JwtOptions(secret, null, null, null, null, null);
    }

    /** RS256 or ES256 with the public key in this PEM file. */
    public static JwtOptions publicKey(Path pem) {
        return new JwtOptions(null, pem, null, null, null, null);
    }

    /** RS256/ES256 with the keys of this JWKS file, chosen by {@code kid}. */
    public static JwtOptions jwks(Path file) {
        return new JwtOptions(null, null, file, null, null, null);
    }

    public JwtOptions withAudience(String v) {
        return new JwtOptions(hs256Secret, publicKeyPem, jwksFile, v, issuer, leeway);
    }

    public JwtOptions withIssuer(String v) {
        return new JwtOptions(hs256Secret, publicKeyPem, jwksFile, audience, v, leeway);
    }

    public JwtOptions withLeeway(Duration v) {
        return new JwtOptions(hs256Secret, publicKeyPem, jwksFile, audience, issuer, v);
    }

    /** Never shows the secret. */
    @Override
    public String toString() {
        return "JwtOptions[hs256Secret=" + (hs256Secret == null ? "null" : "***")
                + ", publicKeyPem=" + publicKeyPem + ", jwksFile=" + jwksFile
                + ", audience=" + audience + ", issuer=" + issuer + ", leeway=" + leeway + "]";
    }
}
