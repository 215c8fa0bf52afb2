package dev.herald.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** JWT verification (API §5): accepted shapes and every refusal. */
class JwtVerifierTest {
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final Instant IN_AN_HOUR = NOW.plusSeconds(3600);

    private static String secret;
    private static KeyPair rsa;
    private static KeyPair rsaOther;
    private static KeyPair ec;

    @TempDir
    Path dir;

    @BeforeAll
    static void keys() throws Exception {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        // 32 random bytes as text of exactly 32 bytes (printable, so it is also a valid --jwt-secret string)
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append((char) ('!' + Math.floorMod(b, 94)));
        }
        secret = sb.toString();
        KeyPairGenerator rsaGen = KeyPairGenerator.getInstance("RSA");
        rsaGen.initialize(2048);
        rsa = rsaGen.generateKeyPair();
        rsaOther = rsaGen.generateKeyPair();
        KeyPairGenerator ecGen = KeyPairGenerator.getInstance("EC");
        ecGen.initialize(new ECGenParameterSpec("secp256r1"));
        ec = ecGen.generateKeyPair();
    }

    // ---- helpers ----

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder()
                .subject("alice")
                .claim("projects", List.of("p1", "p2"))
                .claim("scope", "read")
                .expirationTime(Date.from(IN_AN_HOUR));
    }

    private static String sign(JWSAlgorithm alg, JWSSigner signer, JWTClaimsSet claims) {
        return sign(new JWSHeader.Builder(alg).type(JOSEObjectType.JWT).build(), signer, claims);
    }

    private static String sign(JWSHeader header, JWSSigner signer, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new AssertionError(e);
        }
    }

    /** Signs an arbitrary JSON payload (for shapes nimbus' claims builder would not produce). */
    private static String signRaw(JWSAlgorithm alg, JWSSigner signer, String payloadJson) {
        try {
            JWSObject jws = new JWSObject(new JWSHeader(alg), new Payload(payloadJson));
            jws.sign(signer);
            return jws.serialize();
        } catch (JOSEException e) {
            throw new AssertionError(e);
        }
    }

    private static String hs256(JWTClaimsSet claims) {
        return sign(JWSAlgorithm.HS256, mac(secret.getBytes(StandardCharsets.UTF_8)), claims);
    }

    private static String rs256(JWTClaimsSet claims) {
        return sign(JWSAlgorithm.RS256, new RSASSASigner(rsa.getPrivate()), claims);
    }

    private static String es256(JWTClaimsSet claims) {
        return sign(JWSAlgorithm.ES256, ecSigner(ec), claims);
    }

    private static MACSigner mac(byte[] key) {
        try {
            return new MACSigner(key);
        } catch (JOSEException e) {
            throw new AssertionError(e);
        }
    }

    private static ECDSASigner ecSigner(KeyPair kp) {
        try {
            return new ECDSASigner((ECPrivateKey) kp.getPrivate());
        } catch (JOSEException e) {
            throw new AssertionError(e);
        }
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + label + "-----\n";
    }

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    private Path rsaPem() throws IOException {
        return write("rsa.pem", pem("PUBLIC KEY", rsa.getPublic().getEncoded()));
    }

    private Path ecPem() throws IOException {
        return write("ec.pem", pem("PUBLIC KEY", ec.getPublic().getEncoded()));
    }

    private static JwtVerifier hsVerifier() {
        return JwtVerifier.create(JwtOptions.hs256(secret));
    }

    private JwtVerifier rsVerifier() throws IOException {
        return JwtVerifier.create(JwtOptions.publicKey(rsaPem()));
    }

    private JwtVerifier esVerifier() throws IOException {
        return JwtVerifier.create(JwtOptions.publicKey(ecPem()));
    }

    // ---- accepted ----

    @Test
    void validHs256GivesTheClaims() {
        JwtVerifier v = hsVerifier();
        assertThat(v.algorithms()).containsExactly("HS256");
        Optional<JwtClaims> c = v.verify(hs256(claims().build()), NOW);
        assertThat(c).isPresent();
        assertThat(c.get().subject()).isEqualTo("alice");
        assertThat(c.get().projects()).containsExactlyInAnyOrder("p1", "p2");
        assertThat(c.get().allProjects()).isFalse();
        assertThat(c.get().jobs()).isNull();
        assertThat(c.get().scope()).isEqualTo("read");
        assertThat(c.get().expiresAt()).isEqualTo(IN_AN_HOUR);
    }

    @Test
    void validRs256GivesTheClaims() throws IOException {
        JwtVerifier v = rsVerifier();
        assertThat(v.algorithms()).containsExactly("RS256");
        Optional<JwtClaims> c = v.verify(rs256(claims()
                .claim("projects", List.of("*")).claim("jobs", List.of("j1", "j2")).claim("scope", "write").build()), NOW);
        assertThat(c).isPresent();
        assertThat(c.get().projects()).containsExactly("*");
        assertThat(c.get().allProjects()).isTrue();
        assertThat(c.get().jobs()).containsExactlyInAnyOrder("j1", "j2");
        assertThat(c.get().scope()).isEqualTo("write");
    }

    @Test
    void validEs256GivesTheClaims() throws IOException {
        JwtVerifier v = esVerifier();
        assertThat(v.algorithms()).containsExactly("ES256");
        Optional<JwtClaims> c = v.verify(es256(claims().claim("scope", "write").claim("jobs", List.of()).build()), NOW);
        assertThat(c).isPresent();
        assertThat(c.get().scope()).isEqualTo("write");
        assertThat(c.get().jobs()).isEmpty();
    }

    @Test
    void claimsAreUnmodifiable() {
        JwtClaims c = hsVerifier().verify(hs256(claims().build()), NOW).orElseThrow();
        assertThatThrownBy(() -> c.projects().add("p3")).isInstanceOf(UnsupportedOperationException.class);
    }

    // ---- alg none and algorithm confusion ----

    @ParameterizedTest
    @ValueSource(strings = {"none", "None", "NONE", "nOnE"})
    void algNoneIsRefused(String alg) throws IOException {
        String header = b64("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}");
        String payload = claims().build().toPayload().toBase64URL().toString();
        String realSignature = hs256(claims().build()).split("\\.")[2];
        for (JwtVerifier v : List.of(hsVerifier(), rsVerifier(), esVerifier())) {
            assertThat(v.verify(header + "." + payload + ".", NOW)).isEmpty();
            assertThat(v.verify(header + "." + payload + "." + realSignature, NOW)).isEmpty();
            assertThat(v.verify(header + "." + payload, NOW)).isEmpty();
        }
        String bare = b64("{\"alg\":\"" + alg + "\"}");
        assertThat(hsVerifier().verify(bare + "." + payload + ".", NOW)).isEmpty();
    }

    @Test
    void hs256TokenIsRefusedWhenRs256IsConfigured() throws IOException {
        Path pemFile = rsaPem();
        JwtVerifier v = JwtVerifier.create(JwtOptions.publicKey(pemFile));
        JWTClaimsSet c = claims().build();
        // the classic confusion attack: HMAC keyed with the public key as the verifier knows it
        byte[] pemBytes = Files.readAllBytes(pemFile);
        byte[] derBytes = rsa.getPublic().getEncoded();
        assertThat(v.verify(sign(JWSAlgorithm.HS256, mac(pemBytes), c), NOW)).isEmpty();
        assertThat(v.verify(sign(JWSAlgorithm.HS256, mac(derBytes), c), NOW)).isEmpty();
        assertThat(v.verify(hs256(c), NOW)).isEmpty();
        // ... and the same with ES256
        Path ecFile = ecPem();
        JwtVerifier e = JwtVerifier.create(JwtOptions.publicKey(ecFile));
        assertThat(e.verify(sign(JWSAlgorithm.HS256, mac(Files.readAllBytes(ecFile)), c), NOW)).isEmpty();
    }

    @Test
    void publicKeyTokensAreRefusedWhenHs256IsConfigured() {
        JwtVerifier v = hsVerifier();
        assertThat(v.verify(rs256(claims().build()), NOW)).isEmpty();
        assertThat(v.verify(es256(claims().build()), NOW)).isEmpty();
    }

    @Test
    void otherAlgorithmsWithTheRightKeyAreRefused() throws IOException {
        JwtVerifier rs = rsVerifier();
        JWTClaimsSet c = claims().build();
        assertThat(rs.verify(rs256(c), NOW)).isPresent();
        for (JWSAlgorithm alg : List.of(JWSAlgorithm.RS384, JWSAlgorithm.RS512, JWSAlgorithm.PS256)) {
            assertThat(rs.verify(sign(alg, new RSASSASigner(rsa.getPrivate()), c), NOW)).as(alg.getName()).isEmpty();
        }
        assertThat(rs.verify(es256(c), NOW)).isEmpty();
        assertThat(esVerifier().verify(rs256(c), NOW)).isEmpty();
        byte[] longSecret = (secret + secret).getBytes(StandardCharsets.UTF_8);
        JwtVerifier hs = JwtVerifier.create(JwtOptions.hs256(secret + secret));
        assertThat(hs.verify(sign(JWSAlgorithm.HS512, mac(longSecret), c), NOW)).isEmpty();
        assertThat(hs.verify(sign(JWSAlgorithm.HS384, mac(longSecret), c), NOW)).isEmpty();
        assertThat(hs.verify(sign(JWSAlgorithm.HS256, mac(longSecret), c), NOW)).isPresent();
    }

    @Test
    void algorithmNameIsCaseSensitive() {
        String token = hs256(claims().build());
        String[] parts = token.split("\\.");
        String header = b64("{\"alg\":\"hs256\"}");
        // re-sign with the lowercase header so only the alg name is wrong
        String resigned = signWithHeaderJson("{\"alg\":\"hs256\"}", parts[1]);
        assertThat(hsVerifier().verify(resigned, NOW)).isEmpty();
        assertThat(hsVerifier().verify(header + "." + parts[1] + "." + parts[2], NOW)).isEmpty();
    }

    private static String signWithHeaderJson(String headerJson, String payloadB64) {
        try {
            String input = b64(headerJson) + "." + payloadB64;
            javax.crypto.Mac hmac = javax.crypto.Mac.getInstance("HmacSHA256");
            hmac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return input + "." + Base64URL.encode(hmac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void criticalHeadersAndUnencodedPayloadsAreRefused() {
        String crit = signWithHeaderJson("{\"alg\":\"HS256\",\"crit\":[\"x-herald\"],\"x-herald\":1}",
                claims().build().toPayload().toBase64URL().toString());
        assertThat(hsVerifier().verify(crit, NOW)).isEmpty();
        String plain = signWithHeaderJson("{\"alg\":\"HS256\"}", claims().build().toPayload().toBase64URL().toString());
        assertThat(hsVerifier().verify(plain, NOW)).isPresent(); // the helper itself makes good tokens
        String b64false = signWithHeaderJson("{\"alg\":\"HS256\",\"b64\":false,\"crit\":[\"b64\"]}",
                claims().build().toPayload().toBase64URL().toString());
        assertThat(hsVerifier().verify(b64false, NOW)).isEmpty();
    }

    // ---- signatures ----

    @Test
    void wrongSecretIsRefused() {
        String other = "another-secret-of-at-least-32-bytes!!";
        assertThat(hsVerifier().verify(sign(JWSAlgorithm.HS256, mac(other.getBytes(StandardCharsets.UTF_8)),
                claims().build()), NOW)).isEmpty();
    }

    @Test
    void wrongKeyPairIsRefused() throws IOException {
        assertThat(rsVerifier().verify(sign(JWSAlgorithm.RS256, new RSASSASigner(rsaOther.getPrivate()),
                claims().build()), NOW)).isEmpty();
    }

    @Test
    void tamperedPayloadIsRefused() throws IOException {
        for (Map.Entry<JwtVerifier, String> e : Map.of(
                hsVerifier(), hs256(claims().build()),
                rsVerifier(), rs256(claims().build()),
                esVerifier(), es256(claims().build())).entrySet()) {
            String[] parts = e.getValue().split("\\.");
            assertThat(e.getKey().verify(e.getValue(), NOW)).isPresent();
            String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
            assertThat(payload).contains("\"read\"");
            String escalated = b64(payload.replace("\"read\"", "\"admin\""));
            assertThat(e.getKey().verify(parts[0] + "." + escalated + "." + parts[2], NOW)).isEmpty();
            String allProjects = b64(payload.replace("[\"p1\",\"p2\"]", "[\"*\"]"));
            assertThat(allProjects).isNotEqualTo(parts[1]);
            assertThat(e.getKey().verify(parts[0] + "." + allProjects + "." + parts[2], NOW)).isEmpty();
        }
    }

    @Test
    void tamperedSignatureIsRefused() {
        String token = hs256(claims().build());
        char last = token.charAt(token.length() - 5);
        String flipped = token.substring(0, token.length() - 5) + (last == 'A' ? 'B' : 'A') + token.substring(token.length() - 4);
        assertThat(hsVerifier().verify(flipped, NOW)).isEmpty();
    }

    @Test
    void randomCorruptionNeverThrowsAndIsRefused() throws IOException {
        Random random = new Random(42);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ {}\"";
        JwtVerifier rs = rsVerifier();
        String token = rs256(claims().build());
        for (int i = 0; i < 2000; i++) {
            char[] chars = token.toCharArray();
            int flips = 1 + random.nextInt(3);
            for (int f = 0; f < flips; f++) {
                chars[random.nextInt(chars.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
            }
            String mutated = new String(chars);
            Optional<JwtClaims> c = rs.verify(mutated, NOW);
            // any change is refused, except one confined to the unused low bits of the signature's last character
            assertThat(c.isEmpty() || sameSignedToken(token, mutated)).as(mutated).isTrue();
        }
    }

    private static boolean sameSignedToken(String a, String b) {
        String[] x = a.split("\\.", -1);
        String[] y = b.split("\\.", -1);
        try {
            return y.length == 3 && x[0].equals(y[0]) && x[1].equals(y[1])
                    && java.util.Arrays.equals(Base64.getUrlDecoder().decode(x[2]), Base64.getUrlDecoder().decode(y[2]));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    // ---- time ----

    @Test
    void expiryHonoursTheLeeway() {
        JwtVerifier v = hsVerifier(); // default leeway 30 s
        assertThat(v.verify(hs256(claims().expirationTime(Date.from(NOW.minusSeconds(10))).build()), NOW)).isPresent();
        assertThat(v.verify(hs256(claims().expirationTime(Date.from(NOW.minusSeconds(29))).build()), NOW)).isPresent();
        assertThat(v.verify(hs256(claims().expirationTime(Date.from(NOW.minusSeconds(30))).build()), NOW)).isEmpty();
        assertThat(v.verify(hs256(claims().expirationTime(Date.from(NOW.minusSeconds(31))).build()), NOW)).isEmpty();
        assertThat(v.verify(hs256(claims().expirationTime(Date.from(NOW.minusSeconds(86_400))).build()), NOW)).isEmpty();
    }

    @Test
    void leewayIsConfigurable() {
        JwtVerifier strict = JwtVerifier.create(JwtOptions.hs256(secret).withLeeway(Duration.ZERO));
        assertThat(strict.verify(hs256(claims().expirationTime(Date.from(NOW.plusSeconds(1))).build()), NOW)).isPresent();
        assertThat(strict.verify(hs256(claims().expirationTime(Date.from(NOW)).build()), NOW)).isEmpty();
        assertThat(strict.verify(hs256(claims().expirationTime(Date.from(NOW.minusSeconds(1))).build()), NOW)).isEmpty();
        JwtVerifier lax = JwtVerifier.create(JwtOptions.hs256(secret).withLeeway(Duration.ofMinutes(2)));
        assertThat(lax.verify(hs256(claims().expirationTime(Date.from(NOW.minusSeconds(90))).build()), NOW)).isPresent();
    }

    @Test
    void missingOrNonNumericExpIsRefused() {
        JwtVerifier v = hsVerifier();
        assertThat(v.verify(hs256(claims().expirationTime(null).build()), NOW)).isEmpty();
        JWSAlgorithm hs = JWSAlgorithm.HS256;
        MACSigner signer = mac(secret.getBytes(StandardCharsets.UTF_8));
        String base = "\"sub\":\"alice\",\"projects\":[\"p1\"],\"scope\":\"read\"";
        long exp = IN_AN_HOUR.getEpochSecond();
        assertThat(v.verify(signRaw(hs, signer, "{" + base + ",\"exp\":" + exp + "}"), NOW)).isPresent();
        assertThat(v.verify(signRaw(hs, signer, "{" + base + ",\"exp\":" + exp + ".5}"), NOW)).isPresent();
        assertThat(v.verify(signRaw(hs, signer, "{" + base + ",\"exp\":\"" + exp + "\"}"), NOW)).isEmpty();
        assertThat(v.verify(signRaw(hs, signer, "{" + base + ",\"exp\":null}"), NOW)).isEmpty();
        assertThat(v.verify(signRaw(hs, signer, "{" + base + ",\"exp\":true}"), NOW)).isEmpty();
        assertThat(v.verify(signRaw(hs, signer, "{" + base + ",\"exp\":[" + exp + "]}"), NOW)).isEmpty();
        assertThat(v.verify(signRaw(hs, signer, "{" + base + ",\"exp\":1e300}"), NOW)).isEmpty();
        assertThat(v.verify(signRaw(hs, signer, "{" + base + "}"), NOW)).isEmpty();
    }

    @Test
    void notBeforeHonoursTheLeeway() {
        JwtVerifier v = hsVerifier();
        assertThat(v.verify(hs256(claims().notBeforeTime(Date.from(NOW.plusSeconds(20))).build()), NOW)).isPresent();
        assertThat(v.verify(hs256(claims().notBeforeTime(Date.from(NOW.minusSeconds(600))).build()), NOW)).isPresent();
        assertThat(v.verify(hs256(claims().notBeforeTime(Date.from(NOW.plusSeconds(31))).build()), NOW)).isEmpty();
        assertThat(v.verify(hs256(claims().claim("nbf", "yesterday").build()), NOW)).isEmpty();
    }

    // ---- audience and issuer ----

    @Test
    void audienceIsCheckedWhenConfigured() {
        JwtVerifier v = JwtVerifier.create(JwtOptions.hs256(secret).withAudience("herald"));
        assertThat(v.verify(hs256(claims().audience("herald").build()), NOW)).isPresent();
        assertThat(v.verify(hs256(claims().audience(List.of("other", "herald")).build()), NOW)).isPresent();
        assertThat(v.verify(hs256(claims().audience("other").build()), NOW)).isEmpty();
        assertThat(v.verify(hs256(claims().audience(List.of("other", "herald-x")).build()), NOW)).isEmpty();
        assertThat(v.verify(hs256(claims().build()), NOW)).isEmpty();
        assertThat(v.verify(hs256(claims().claim("aud", 7).build()), NOW)).isEmpty();
        // not configured: any aud is fine
        assertThat(hsVerifier().verify(hs256(claims().audience("other").build()), NOW)).isPresent();
    }

    @Test
    void issuerIsCheckedWhenConfigured() {
        JwtVerifier v = JwtVerifier.create(JwtOptions.hs256(secret).withIssuer("https://auth.example.com"));
        assertThat(v.verify(hs256(claims().issuer("https://auth.example.com").build()), NOW)).isPresent();
        assertThat(v.verify(hs256(claims().issuer("https://auth.example.com/").build()), NOW)).isEmpty();
        assertThat(v.verify(hs256(claims().issuer("https://evil.example.com").build()), NOW)).isEmpty();
        assertThat(v.verify(hs256(claims().build()), NOW)).isEmpty();
        assertThat(hsVerifier().verify(hs256(claims().issuer("anyone").build()), NOW)).isPresent();
    }

    @Test
    void audienceAndIssuerTogether() {
        JwtVerifier v = JwtVerifier.create(JwtOptions.hs256(secret).withAudience("herald").withIssuer("me"));
        assertThat(v.verify(hs256(claims().audience("herald").issuer("me").build()), NOW)).isPresent();
        assertThat(v.verify(hs256(claims().audience("herald").build()), NOW)).isEmpty();
        assertThat(v.verify(hs256(claims().issuer("me").build()), NOW)).isEmpty();
    }

    // ---- claim shapes ----

    @Test
    void badClaimShapesAreRefused() {
        JwtVerifier v = hsVerifier();
        assertThat(v.verify(hs256(claims().claim("projects", "p1").build()), NOW)).as("projects a string").isEmpty();
        assertThat(v.verify(hs256(claims().claim("projects", List.of()).build()), NOW)).as("projects empty").isEmpty();
        assertThat(v.verify(hs256(claims().claim("projects", List.of(1)).build()), NOW)).as("projects numbers").isEmpty();
        assertThat(v.verify(hs256(claims().claim("projects", List.of("")).build()), NOW)).as("projects blank").isEmpty();
        assertThat(v.verify(hs256(claims().claim("projects", Map.of("p1", true)).build()), NOW)).as("projects object").isEmpty();
        assertThat(v.verify(hs256(claims().claim("projects", null).build()), NOW)).as("projects missing").isEmpty();
        assertThat(v.verify(hs256(claims().claim("scope", "bogus").build()), NOW)).as("scope bogus").isEmpty();
        assertThat(v.verify(hs256(claims().claim("scope", "admin").build()), NOW)).as("scope admin: a JWT may not manage keys").isEmpty();
        assertThat(v.verify(hs256(claims().claim("scope", "READ").build()), NOW)).as("scope case").isEmpty();
        assertThat(v.verify(hs256(claims().claim("scope", List.of("read")).build()), NOW)).as("scope array").isEmpty();
        assertThat(v.verify(hs256(claims().claim("scope", null).build()), NOW)).as("scope missing").isEmpty();
        assertThat(v.verify(hs256(claims().subject(null).build()), NOW)).as("sub missing").isEmpty();
        assertThat(v.verify(hs256(claims().subject("").build()), NOW)).as("sub empty").isEmpty();
        assertThat(v.verify(hs256(claims().claim("sub", 42).build()), NOW)).as("sub number").isEmpty();
        assertThat(v.verify(hs256(claims().claim("jobs", "j1").build()), NOW)).as("jobs a string").isEmpty();
        assertThat(v.verify(hs256(claims().claim("jobs", List.of("j1", 2)).build()), NOW)).as("jobs mixed").isEmpty();
    }

    @Test
    void explicitNullJobsIsRefusedNotUnrestricted() {
        String json = "{\"sub\":\"alice\",\"projects\":[\"p1\"],\"scope\":\"read\",\"jobs\":null,\"exp\":"
                + IN_AN_HOUR.getEpochSecond() + "}";
        assertThat(hsVerifier().verify(signRaw(JWSAlgorithm.HS256, mac(secret.getBytes(StandardCharsets.UTF_8)), json), NOW))
                .isEmpty();
    }

    @Test
    void payloadsThatAreNotJsonObjectsAreRefused() {
        MACSigner signer = mac(secret.getBytes(StandardCharsets.UTF_8));
        JwtVerifier v = hsVerifier();
        assertThat(v.verify(signRaw(JWSAlgorithm.HS256, signer, "[1,2,3]"), NOW)).isEmpty();
        assertThat(v.verify(signRaw(JWSAlgorithm.HS256, signer, "not json"), NOW)).isEmpty();
        assertThat(v.verify(signRaw(JWSAlgorithm.HS256, signer, "\"a string\""), NOW)).isEmpty();
        // duplicate claim names are ambiguous: refused
        String dup = "{\"sub\":\"alice\",\"projects\":[\"p1\"],\"scope\":\"read\",\"scope\":\"write\",\"exp\":"
                + IN_AN_HOUR.getEpochSecond() + "}";
        assertThat(v.verify(signRaw(JWSAlgorithm.HS256, signer, dup), NOW)).isEmpty();
    }

    // ---- malformed and oversized ----

    @Test
    void malformedTokensAreRefusedWithoutThrowing() {
        JwtVerifier v = hsVerifier();
        String good = hs256(claims().build());
        String[] p = good.split("\\.");
        for (String bad : new String[]{null, "", " ", "abc", "a.b", "a.b.c", "..", p[0] + "." + p[1] + ".",
                "." + p[1] + "." + p[2], p[0] + ".." + p[2], good + ".x.y", good + ".", " " + good, good + " ",
                good.replace('.', ','), "Bearer " + good, p[0] + "." + p[1] + "." + p[2] + "=",
                b64("not json") + "." + p[1] + "." + p[2], b64("{\"alg\":\"HS256\"") + "." + p[1] + "." + p[2],
                b64("{}") + "." + p[1] + "." + p[2], b64("{\"alg\":42}") + "." + p[1] + "." + p[2]}) {
            assertThat(v.verify(bad, NOW)).as(String.valueOf(bad)).isEmpty();
        }
        assertThat(v.verify(good, NOW)).isPresent();
    }

    @Test
    void oversizedTokensAreRefused() {
        JwtVerifier v = hsVerifier();
        String small = hs256(claims().claim("pad", "x".repeat(5000)).build());
        assertThat(small.length()).isLessThanOrEqualTo(JwtVerifier.MAX_TOKEN_LENGTH);
        assertThat(v.verify(small, NOW)).isPresent();
        String big = hs256(claims().claim("pad", "x".repeat(6200)).build());
        assertThat(big.length()).isGreaterThan(JwtVerifier.MAX_TOKEN_LENGTH);
        assertThat(v.verify(big, NOW)).isEmpty();
        assertThat(v.verify("a".repeat(1_000_000) + ".b.c", NOW)).isEmpty();
    }

    // ---- JWKS ----

    private static RSAKey rsaJwk(KeyPair kp, String kid) {
        return new RSAKey.Builder((RSAPublicKey) kp.getPublic()).keyID(kid).keyUse(KeyUse.SIGNATURE).build();
    }

    private static ECKey ecJwk(KeyPair kp, String kid) {
        return new ECKey.Builder(Curve.P_256, (ECPublicKey) kp.getPublic()).keyID(kid).build();
    }

    private static String withKid(JWSAlgorithm alg, String kid, JWSSigner signer) {
        return sign(new JWSHeader.Builder(alg).keyID(kid).build(), signer, claims().build());
    }

    @Test
    void jwksSelectsTheKeyByKid() throws IOException {
        Path jwks = write("keys.json", new JWKSet(List.of(rsaJwk(rsa, "r1"), rsaJwk(rsaOther, "r2"), ecJwk(ec, "e1")))
                .toString());
        JwtVerifier v = JwtVerifier.create(JwtOptions.jwks(jwks));
        assertThat(v.algorithms()).containsExactlyInAnyOrder("RS256", "ES256");
        RSASSASigner s1 = new RSASSASigner(rsa.getPrivate());
        RSASSASigner s2 = new RSASSASigner(rsaOther.getPrivate());
        assertThat(v.verify(withKid(JWSAlgorithm.RS256, "r1", s1), NOW)).isPresent();
        assertThat(v.verify(withKid(JWSAlgorithm.RS256, "r2", s2), NOW)).isPresent();
        assertThat(v.verify(withKid(JWSAlgorithm.ES256, "e1", ecSigner(ec)), NOW)).isPresent();
        // the wrong key for the kid, an unknown kid, no kid, the wrong algorithm for the kid's key
        assertThat(v.verify(withKid(JWSAlgorithm.RS256, "r1", s2), NOW)).isEmpty();
        assertThat(v.verify(withKid(JWSAlgorithm.RS256, "r3", s1), NOW)).isEmpty();
        assertThat(v.verify(rs256(claims().build()), NOW)).isEmpty();
        assertThat(v.verify(sign(JWSAlgorithm.RS256, s2, claims().build()), NOW)).isEmpty();
        assertThat(v.verify(es256(claims().build()), NOW)).isEmpty();
        assertThat(v.verify(withKid(JWSAlgorithm.ES256, "r1", ecSigner(ec)), NOW)).isEmpty();
        assertThat(v.verify(withKid(JWSAlgorithm.RS256, "e1", s1), NOW)).isEmpty();
        Path pem = rsaPem();
        assertThat(v.verify(withKid(JWSAlgorithm.HS256, "r1", mac(Files.readAllBytes(pem))), NOW)).isEmpty();
    }

    @Test
    void jwksOfOneKeyWithoutKidAcceptsTokensWithoutKid() throws IOException {
        Path jwks = write("one.json", new JWKSet(new ECKey.Builder(Curve.P_256, (ECPublicKey) ec.getPublic()).build())
                .toString());
        JwtVerifier v = JwtVerifier.create(JwtOptions.jwks(jwks));
        assertThat(v.verify(es256(claims().build()), NOW)).isPresent();
        assertThat(v.verify(rs256(claims().build()), NOW)).isEmpty();
    }

    @Test
    void jwksSkipsEncryptionKeys() throws IOException {
        RSAKey enc = new RSAKey.Builder((RSAPublicKey) rsaOther.getPublic()).keyID("enc").keyUse(KeyUse.ENCRYPTION).build();
        Path jwks = write("enc.json", new JWKSet(List.of(rsaJwk(rsa, "r1"), enc)).toString());
        JwtVerifier v = JwtVerifier.create(JwtOptions.jwks(jwks));
        assertThat(v.verify(withKid(JWSAlgorithm.RS256, "r1", new RSASSASigner(rsa.getPrivate())), NOW)).isPresent();
        assertThat(v.verify(withKid(JWSAlgorithm.RS256, "enc", new RSASSASigner(rsaOther.getPrivate())), NOW)).isEmpty();
    }

    @Test
    void badJwksFilesFailAtCreate() throws Exception {
        assertCreateFails(JwtOptions.jwks(write("bad.json", "{ not json")), "bad.json");
        assertCreateFails(JwtOptions.jwks(write("empty.json", "{\"keys\":[]}")), "empty.json");
        assertCreateFails(JwtOptions.jwks(dir.resolve("missing.json")), "missing.json");
        OctetSequenceKey oct = new OctetSequenceKey.Builder(secret.getBytes(StandardCharsets.UTF_8)).keyID("s").build();
        assertCreateFails(JwtOptions.jwks(write("oct2.json", new JWKSet(oct).toString(false))), "--jwt-secret");
        assertCreateFails(JwtOptions.jwks(write("dup.json",
                new JWKSet(List.of(rsaJwk(rsa, "k"), ecJwk(ec, "k"))).toString())), "kid 'k'");
        assertCreateFails(JwtOptions.jwks(write("nokid.json",
                new JWKSet(List.of(rsaJwk(rsa, null), ecJwk(ec, "e1"))).toString())), "kid");
        RSAKey priv = new RSAKey.Builder((RSAPublicKey) rsa.getPublic()).privateKey((RSAPrivateKey) rsa.getPrivate())
                .keyID("p").build();
        assertCreateFails(JwtOptions.jwks(write("priv.json", new JWKSet(priv).toString(false))), "private");
        RSAKey ps = new RSAKey.Builder((RSAPublicKey) rsa.getPublic()).keyID("ps").algorithm(JWSAlgorithm.PS256).build();
        assertCreateFails(JwtOptions.jwks(write("ps.json", new JWKSet(ps).toString())), "PS256");
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp384r1"));
        ECKey p384 = new ECKey.Builder(Curve.P_384, (ECPublicKey) gen.generateKeyPair().getPublic()).keyID("e").build();
        assertCreateFails(JwtOptions.jwks(write("p384.json", new JWKSet(p384).toString())), "P-256");
    }

    // ---- PEM files ----

    private void assertCreateFails(JwtOptions options, String messagePart) {
        assertThatThrownBy(() -> JwtVerifier.create(options))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(messagePart);
    }

    @Test
    void badPemFilesFailAtCreateNamingTheFile() throws Exception {
        Path missing = dir.resolve("nope.pem");
        assertCreateFails(JwtOptions.publicKey(missing), missing.toString());
        assertCreateFails(JwtOptions.publicKey(dir), dir.toString());
        Path garbage = write("garbage.pem", "hello, I am not a key\n");
        assertCreateFails(JwtOptions.publicKey(garbage), garbage.toString());
        assertCreateFails(JwtOptions.publicKey(garbage), "BEGIN PUBLIC KEY");
        Path badBase64 = write("b64.pem", "-----BEGIN PUBLIC KEY-----\nnot*base64!\n-----END PUBLIC KEY-----\n");
        assertCreateFails(JwtOptions.publicKey(badBase64), badBase64.toString());
        Path notAKey = write("notakey.pem", pem("PUBLIC KEY", "definitely not DER".getBytes(StandardCharsets.UTF_8)));
        assertCreateFails(JwtOptions.publicKey(notAKey), notAKey.toString());
        Path truncated = write("truncated.pem", pem("PUBLIC KEY",
                java.util.Arrays.copyOf(rsa.getPublic().getEncoded(), 100)));
        assertCreateFails(JwtOptions.publicKey(truncated), truncated.toString());
        Path privateKey = write("private.pem", pem("PRIVATE KEY", rsa.getPrivate().getEncoded()));
        assertCreateFails(JwtOptions.publicKey(privateKey), "private key");
        Path pkcs1 = write("pkcs1.pem", pem("RSA PUBLIC KEY", new byte[]{1, 2, 3}));
        assertCreateFails(JwtOptions.publicKey(pkcs1), "PKCS#1");
        Path cert = write("cert.pem", pem("CERTIFICATE", new byte[]{1, 2, 3}));
        assertCreateFails(JwtOptions.publicKey(cert), "certificate");
        Path two = write("two.pem", pem("PUBLIC KEY", rsa.getPublic().getEncoded()) + pem("PUBLIC KEY", ec.getPublic().getEncoded()));
        assertCreateFails(JwtOptions.publicKey(two), "exactly one");
    }

    @Test
    void weakOrUnsupportedPemKeysFailAtCreate() throws Exception {
        KeyPairGenerator small = KeyPairGenerator.getInstance("RSA");
        small.initialize(1024);
        assertCreateFails(JwtOptions.publicKey(write("rsa1024.pem", pem("PUBLIC KEY",
                small.generateKeyPair().getPublic().getEncoded()))), "2048");
        KeyPairGenerator p384 = KeyPairGenerator.getInstance("EC");
        p384.initialize(new ECGenParameterSpec("secp384r1"));
        assertCreateFails(JwtOptions.publicKey(write("p384.pem", pem("PUBLIC KEY",
                p384.generateKeyPair().getPublic().getEncoded()))), "P-256");
        KeyPairGenerator ed = KeyPairGenerator.getInstance("Ed25519");
        assertCreateFails(JwtOptions.publicKey(write("ed.pem", pem("PUBLIC KEY",
                ed.generateKeyPair().getPublic().getEncoded()))), "RSA or EC");
    }

    @Test
    void pemWithSurroundingTextAndCrlfIsRead() throws IOException {
        String text = "Herald signing key\r\n" + pem("PUBLIC KEY", rsa.getPublic().getEncoded()).replace("\n", "\r\n");
        JwtVerifier v = JwtVerifier.create(JwtOptions.publicKey(write("crlf.pem", text)));
        assertThat(v.verify(rs256(claims().build()), NOW)).isPresent();
    }

    // ---- options ----

    @Nested
    class Options {
        @Test
        void exactlyOneKeySource() throws IOException {
            Path pem = rsaPem();
            assertThatThrownBy(() -> new JwtOptions(null, null, null, null, null, null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--jwt-secret");
            assertThatThrownBy(() -> new JwtOptions(secret, pem, null, null, null, null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exactly one");
            assertThatThrownBy(() -> new JwtOptions(null, pem, pem, null, null, null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exactly one");
        }

        @Test
        void shortSecretsAreRefused() {
            assertThatThrownBy(() -> JwtOptions.hs256("x".repeat(31)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
            assertThatThrownBy(() -> JwtOptions.hs256(""))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
            assertThat(JwtOptions.hs256("x".repeat(32)).hs256Secret()).hasSize(32);
            // bytes, not characters: 16 two-byte characters are 32 bytes
            assertThat(JwtOptions.hs256("é".repeat(16))).isNotNull();
        }

        @Test
        void leewayDefaultsAndMustNotBeNegative() {
            assertThat(JwtOptions.hs256(secret).leeway()).isEqualTo(Duration.ofSeconds(30));
            assertThatThrownBy(() -> JwtOptions.hs256(secret).withLeeway(Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leeway");
        }

        @Test
        void blankAudienceOrIssuerIsRefused() {
            assertThatThrownBy(() -> JwtOptions.hs256(secret).withAudience(" ")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> JwtOptions.hs256(secret).withIssuer("")).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void toStringHidesTheSecret() {
            assertThat(JwtOptions.hs256(secret).toString()).doesNotContain(secret).contains("***");
        }
    }
}
