package dev.herald.server.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Mints JWTs with nimbus-jose-jwt, good and bad, and writes PEM public keys. */
final class Jwts {
    private Jwts() {
    }

    /** The usual claims: sub, projects, scope, exp (seconds from now). */
    static Map<String, Object> claims(String sub, List<String> projects, String scope, long expiresInSeconds) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("sub", sub);
        c.put("projects", projects);
        c.put("scope", scope);
        c.put("exp", Instant.now().getEpochSecond() + expiresInSeconds);
        return c;
    }

    static Map<String, Object> with(Map<String, Object> claims, String name, Object value) {
        Map<String, Object> c = new LinkedHashMap<>(claims);
        if (value == null) {
            c.remove(name);
        } else {
            c.put(name, value);
        }
        return c;
    }

    static String hs(JWSAlgorithm alg, byte[] secret, Map<String, Object> claims) {
        try {
            return sign(alg, new MACSigner(secret), claims);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hs256(String secret, Map<String, Object> claims) {
        return hs(JWSAlgorithm.HS256, secret.getBytes(StandardCharsets.UTF_8), claims);
    }

    static String rs256(KeyPair pair, Map<String, Object> claims) {
        return sign(JWSAlgorithm.RS256, new RSASSASigner((RSAPrivateKey) pair.getPrivate()), claims);
    }

    static String es256(KeyPair pair, Map<String, Object> claims) {
        try {
            return sign(JWSAlgorithm.ES256, new ECDSASigner((ECPrivateKey) pair.getPrivate()), claims);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(JWSAlgorithm alg, JWSSigner signer, Map<String, Object> claims) {
        JWSObject jws = new JWSObject(new JWSHeader.Builder(alg).type(JOSEObjectType.JWT).build(),
                new Payload(json(claims)));
        try {
            jws.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jws.serialize();
    }

    /** An unsigned token: {@code alg: none}, with the given signature part (often empty). */
    static String none(Map<String, Object> claims, String signature) {
        return b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(json(claims)) + "." + signature;
    }

    /** The token with its payload replaced by these claims, its header and signature kept. */
    static String withPayload(String token, Map<String, Object> claims) {
        String[] parts = token.split("\\.");
        return parts[0] + "." + b64(json(claims)) + "." + parts[2];
    }

    /** The token with one character of its signature changed. */
    static String badSignature(String token) {
        int i = token.lastIndexOf('.') + 5;
        char c = token.charAt(i);
        return token.substring(0, i) + (c == 'A' ? 'B' : 'A') + token.substring(i + 1);
    }

    static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static String json(Map<String, Object> claims) {
        try {
            return Sec.JSON.writeValueAsString(claims);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair ec() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    static Path writePem(Path dir, String name, PublicKey key) {
        try {
            return Files.writeString(dir.resolve(name), pem(key));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
