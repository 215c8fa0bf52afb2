package dev.herald.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;

import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The keys of a JWKS file: RSA and EC P-256 public signing keys (encryption keys are skipped). Several keys
 * each need a kid of their own, so a token can name its key; a single key may go without.
 */
final class JwksFile {
    private static final String WHAT = "JWKS file";

    private JwksFile() {
    }

    static JwtKeys read(Path file) {
        String text = KeyFile.read(file, WHAT);
        JWKSet set;
        try {
            set = JWKSet.parse(text);
        } catch (java.text.ParseException | RuntimeException e) {
            throw new IllegalArgumentException(WHAT + " " + file + " is not a valid JWK set: " + e.getMessage(), e);
        }
        List<JwtKey> keys = new ArrayList<>();
        Set<String> kids = new HashSet<>();
        for (JWK jwk : set.getKeys()) {
            if (KeyUse.ENCRYPTION.equals(jwk.getKeyUse())) {
                continue; // not a signing key
            }
            PublicKey pub = publicKey(file, jwk);
            String kid = jwk.getKeyID();
            if (kid != null && !kids.add(kid)) {
                throw new IllegalArgumentException(WHAT + " " + file + ": kid '" + kid + "' is used by more than one key");
            }
            keys.add(JwtKey.ofPublicKey(WHAT + " " + file + ": key '" + (kid == null ? "(no kid)" : kid) + "'", kid, pub));
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException(WHAT + " " + file + " holds no signature-verification key");
        }
        if (keys.size() == 1 && keys.get(0).kid() == null) {
            return new JwtKeys.Only(keys.get(0));
        }
        if (kids.size() < keys.size()) {
            throw new IllegalArgumentException(WHAT + " " + file
                    + " holds several keys: each needs its own kid, so tokens can name theirs");
        }
        Map<String, JwtKey> byKid = new HashMap<>();
        keys.forEach(k -> byKid.put(k.kid(), k));
        return new JwtKeys.ByKid(byKid);
    }

    /** The public key of a signing JWK that declares no algorithm but the one its type allows. */
    private static PublicKey publicKey(Path file, JWK jwk) {
        String kid = jwk.getKeyID();
        String where = WHAT + " " + file + ": key " + (kid == null ? "without kid" : "'" + kid + "'");
        PublicKey pub;
        JWSAlgorithm expected;
        try {
            if (jwk instanceof RSAKey rsa) {
                pub = rsa.toRSAPublicKey();
                expected = JWSAlgorithm.RS256;
            } else if (jwk instanceof ECKey ec) {
                pub = ec.toECPublicKey();
                expected = JWSAlgorithm.ES256;
            } else {
                throw new IllegalArgumentException(where + " has key type " + jwk.getKeyType()
                        + "; only RSA (RS256) and EC P-256 (ES256) public keys are supported"
                        + " (for HS256 use --jwt-secret)");
            }
        } catch (JOSEException e) {
            throw new IllegalArgumentException(where + " cannot be used: " + e.getMessage(), e);
        }
        if (jwk.isPrivate()) {
            throw new IllegalArgumentException(where + " holds private key material; give only public keys");
        }
        if (jwk.getAlgorithm() != null && !expected.getName().equals(jwk.getAlgorithm().getName())) {
            throw new IllegalArgumentException(where + " declares alg " + jwk.getAlgorithm().getName()
                    + "; only " + expected.getName() + " is supported for this key type");
        }
        return pub;
    }
}
