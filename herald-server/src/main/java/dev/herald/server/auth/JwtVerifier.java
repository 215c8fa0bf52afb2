package dev.herald.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks JWTs (API §5) with nimbus-jose-jwt. Built once at start by {@link #create(JwtOptions)}, which reads
 * and checks the key material; {@link #verify(String, Instant)} is then thread-safe and never throws for a bad
 * token: anything wrong with it is an empty answer (a 401). It never logs tokens.
 *
 * <p>A token is accepted only when all hold: it is a compact JWS of at most {@value #MAX_TOKEN_LENGTH}
 * characters; its {@code alg} is exactly the configured one (HS256 for a secret; RS256/ES256 following the
 * public key's type, so {@code none}, other algorithms and HS256-with-the-public-key are refused), with no
 * {@code crit} header and an encoded payload; the signature verifies; {@code exp} is a number and
 * {@code exp + leeway > now}; {@code nbf}, when present, is a number and {@code nbf - leeway <= now};
 * {@code aud} contains the configured audience and {@code iss} equals the configured issuer (when configured);
 * and the claims have the shapes of {@link JwtClaims}.
 */
public final class JwtVerifier {

    /** Longest token accepted, in characters (8 KiB). */
    public static final int MAX_TOKEN_LENGTH = 8 * 1024;
    /** Longest key file read. */
    private static final long MAX_KEY_FILE_BYTES = 1024 * 1024;
    private static final int MIN_RSA_BITS = 2048;
    /** API §5: a JWT reads or writes; managing keys takes an API key or the admin token, which a short-lived token must not mint. */
    private static final Set<String> SCOPES = Set.of("read", "write");
    /** Three base64url segments, none empty: the shape of a signed compact JWS. */
    private static final Pattern COMPACT_JWS = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    private static final Pattern PEM_BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    /** One key a token may be verified with, and the only algorithm it may be used with. */
    private record Key(String kid, JWSAlgorithm alg, JWSVerifier verifier) {
    }

    /** Keys by kid (JWKS with kids), or null. */
    private final Map<String, Key> byKid;
    /** The key used whatever the token's kid (a secret, a PEM key, a JWKS of one key without kid), or null. */
    private final Key onlyKey;
    private final String audience;
    private final String issuer;
    private final Duration leeway;

    private JwtVerifier(Map<String, Key> byKid, Key onlyKey, JwtOptions options) {
        this.byKid = byKid;
        this.onlyKey = onlyKey;
        this.audience = options.audience();
        this.issuer = options.issuer();
        this.leeway = options.leeway();
    }

    /**
     * Reads and checks the key material of {@code options}.
     *
     * @throws IllegalArgumentException when a key file cannot be read or holds no usable key (the message names
     *                                  the file and says what is wrong)
     */
    public static JwtVerifier create(JwtOptions options) {
        Objects.requireNonNull(options, "options");
        if (options.hs256Secret() != null) {
            byte[] secret = options.hs256Secret().getBytes(StandardCharsets.UTF_8);
            try {
                return new JwtVerifier(null, new Key(null, JWSAlgorithm.HS256, new MACVerifier(secret)), options);
            } catch (JOSEException e) {
                throw new IllegalArgumentException("--jwt-secret cannot be used for HS256: " + e.getMessage(), e);
            }
        }
        if (options.publicKeyPem() != null) {
            Path file = options.publicKeyPem();
            return new JwtVerifier(null, keyFor(file, null, readPemPublicKey(file)), options);
        }
        Path file = options.jwksFile();
        List<Key> keys = readJwks(file);
        if (keys.size() == 1 && keys.get(0).kid() == null) {
            return new JwtVerifier(null, keys.get(0), options);
        }
        Map<String, Key> byKid = new HashMap<>();
        for (Key k : keys) {
            byKid.put(k.kid(), k);
        }
        return new JwtVerifier(Map.copyOf(byKid), null, options);
    }

    /** The algorithms tokens may use ({@code HS256}, {@code RS256}, {@code ES256}). */
    public Set<String> algorithms() {
        Set<String> algs = new LinkedHashSet<>();
        for (Key k : onlyKey != null ? List.of(onlyKey) : byKid.values()) {
            algs.add(k.alg().getName());
        }
        return Set.copyOf(algs);
    }

    /**
     * The claims of {@code token} when it is acceptable at {@code now}; empty for any token that is not (malformed,
     * oversized, unsigned, another algorithm, bad signature, expired, not yet valid, wrong audience or issuer,
     * claims of the wrong shape). Never throws for a bad token.
     */
    public Optional<JwtClaims> verify(String token, Instant now) {
        Objects.requireNonNull(now, "now");
        try {
            return Optional.ofNullable(check(token, now));
        } catch (Exception e) {
            // deliberately not logged: messages may quote parts of the token
            return Optional.empty();
        }
    }

    /** The claims, or null when the token is refused; may also throw for a malformed one. */
    private JwtClaims check(String token, Instant now) throws java.text.ParseException, JOSEException {
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
        Key key = keyFor(header.getKeyID());
        if (key == null || !key.alg().equals(header.getAlgorithm())) {
            return null; // unknown kid, or an algorithm other than the key's (no alg confusion)
        }
        if (!jws.verify(key.verifier())) {
            return null;
        }
        Map<String, Object> claims = jws.getPayload().toJSONObject();
        if (claims == null) {
            return null;
        }
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

    private Key keyFor(String kid) {
        if (onlyKey != null) {
            return onlyKey;
        }
        return kid == null ? null : byKid.get(kid);
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

    // ---- key material, read once at start ----

    private static String readKeyFile(Path file, String what) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(what + " " + file + " does not exist or is not a file");
            }
            if (Files.size(file) > MAX_KEY_FILE_BYTES) {
                throw new IllegalArgumentException(what + " " + file + " is too large to be a key file");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + what + " " + file + ": " + e, e);
        }
    }

    private static PublicKey readPemPublicKey(Path file) {
        String what = "JWT public key file";
        String text = readKeyFile(file, what);
        Matcher m = PEM_BLOCK.matcher(text);
        List<String> bodies = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        while (m.find()) {
            labels.add(m.group(1));
            if (m.group(1).equals("PUBLIC KEY")) {
                bodies.add(m.group(2));
            }
        }
        for (String label : labels) {
            if (label.endsWith("PRIVATE KEY")) {
                throw new IllegalArgumentException(what + " " + file + " holds a private key (" + label
                        + "); give only the public key, e.g. `openssl pkey -in KEY -pubout`");
            }
        }
        if (bodies.isEmpty()) {
            String hint = labels.contains("RSA PUBLIC KEY")
                    ? "; it is a PKCS#1 key, convert it with `openssl rsa -RSAPublicKey_in -in FILE -pubout`"
                    : labels.contains("CERTIFICATE")
                    ? "; it is a certificate, extract the key with `openssl x509 -in FILE -pubkey -noout`"
                    : "";
            throw new IllegalArgumentException(what + " " + file
                    + " holds no PEM public key (expected a -----BEGIN PUBLIC KEY----- block)" + hint);
        }
        if (bodies.size() > 1) {
            throw new IllegalArgumentException(what + " " + file + " holds " + bodies.size()
                    + " public keys; give exactly one (or use a JWKS file to have several)");
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(bodies.get(0).replaceAll("\\s+", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " " + file + ": the PUBLIC KEY block is not valid base64", e);
        }
        X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
        for (String type : List.of("RSA", "EC")) {
            try {
                return KeyFactory.getInstance(type).generatePublic(spec);
            } catch (GeneralSecurityException | RuntimeException e) {
                // try the next type
            }
        }
        throw new IllegalArgumentException(what + " " + file
                + ": the PUBLIC KEY block is not an RSA or EC public key (only RS256 and ES256 are supported)");
    }

    /** The verifier of a public key: RSA (≥ 2048 bits) means RS256, EC P-256 means ES256. */
    private static Key keyFor(Path file, String kid, PublicKey key) {
        String where = kid == null ? "JWT public key file " + file : "JWKS file " + file + ": key '" + kid + "'";
        try {
            if (key instanceof RSAPublicKey rsa) {
                int bits = rsa.getModulus().bitLength();
                if (bits < MIN_RSA_BITS) {
                    throw new IllegalArgumentException(where + " is a " + bits + "-bit RSA key; RS256 needs at least "
                            + MIN_RSA_BITS + " bits");
                }
                return new Key(kid, JWSAlgorithm.RS256, new RSASSAVerifier(rsa));
            }
            if (key instanceof ECPublicKey ec) {
                Curve curve = Curve.forECParameterSpec(ec.getParams());
                if (!Curve.P_256.equals(curve)) {
                    throw new IllegalArgumentException(where + " is an EC key on "
                            + (curve == null ? "an unknown curve" : curve.getName())
                            + "; ES256 needs P-256 (secp256r1, prime256v1)");
                }
                return new Key(kid, JWSAlgorithm.ES256, new ECDSAVerifier(ec));
            }
        } catch (JOSEException e) {
            throw new IllegalArgumentException(where + " cannot be used: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException(where + " is neither an RSA nor an EC key");
    }

    private static List<Key> readJwks(Path file) {
        String what = "JWKS file";
        String text = readKeyFile(file, what);
        JWKSet set;
        try {
            set = JWKSet.parse(text);
        } catch (java.text.ParseException | RuntimeException e) {
            throw new IllegalArgumentException(what + " " + file + " is not a valid JWK set: " + e.getMessage(), e);
        }
        List<Key> keys = new ArrayList<>();
        Set<String> kids = new LinkedHashSet<>();
        for (JWK jwk : set.getKeys()) {
            String kid = jwk.getKeyID();
            String where = what + " " + file + ": key " + (kid == null ? "without kid" : "'" + kid + "'");
            if (KeyUse.ENCRYPTION.equals(jwk.getKeyUse())) {
                continue; // not a signing key
            }
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
            if (kid != null && !kids.add(kid)) {
                throw new IllegalArgumentException(what + " " + file + ": kid '" + kid + "' is used by more than one key");
            }
            Key k = keyFor(file, kid == null ? "(no kid)" : kid, pub);
            keys.add(new Key(kid, k.alg(), k.verifier()));
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException(what + " " + file + " holds no signature-verification key");
        }
        if (keys.size() > 1 && keys.stream().anyMatch(k -> k.kid() == null)) {
            throw new IllegalArgumentException(what + " " + file
                    + " holds several keys: each needs its own kid, so tokens can name theirs");
        }
        return keys;
    }
}
