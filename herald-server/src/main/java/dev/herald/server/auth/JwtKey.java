package dev.herald.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;

/**
 * One key a token may be verified with, and the only algorithm it may be used with: a token whose {@code alg}
 * is another is refused, which is what stops algorithm confusion.
 *
 * @param kid the key's id in a JWKS, or null
 */
record JwtKey(String kid, JWSAlgorithm alg, JWSVerifier verifier) {
    private static final int MIN_RSA_BITS = 2048;

    /** HS256 keyed with the secret's UTF-8 bytes. */
    static JwtKey hs256(String secret) {
        try {
            return new JwtKey(null, JWSAlgorithm.HS256, new MACVerifier(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("--jwt-secret cannot be used for HS256: " + e.getMessage(), e);
        }
    }

    /**
     * The key of a public key: RSA (≥ 2048 bits) means RS256, EC P-256 means ES256.
     *
     * @param where names the key in error messages (its file, and its kid in a JWKS)
     */
    static JwtKey ofPublicKey(String where, String kid, PublicKey key) {
        try {
            if (key instanceof RSAPublicKey rsa) {
                int bits = rsa.getModulus().bitLength();
                if (bits < MIN_RSA_BITS) {
                    throw new IllegalArgumentException(where + " is a " + bits + "-bit RSA key; RS256 needs at least "
                            + MIN_RSA_BITS + " bits");
                }
                return new JwtKey(kid, JWSAlgorithm.RS256, new RSASSAVerifier(rsa));
            }
            if (key instanceof ECPublicKey ec) {
                Curve curve = Curve.forECParameterSpec(ec.getParams());
                if (!Curve.P_256.equals(curve)) {
                    throw new IllegalArgumentException(where + " is an EC key on "
                            + (curve == null ? "an unknown curve" : curve.getName())
                            + "; ES256 needs P-256 (secp256r1, prime256v1)");
                }
                return new JwtKey(kid, JWSAlgorithm.ES256, new ECDSAVerifier(ec));
            }
        } catch (JOSEException e) {
            throw new IllegalArgumentException(where + " cannot be used: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException(where + " is neither an RSA nor an EC key");
    }
}
