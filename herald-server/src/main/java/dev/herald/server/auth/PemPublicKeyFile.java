package dev.herald.server.auth;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The key of {@code --jwt-public-key}: a file with exactly one {@code -----BEGIN PUBLIC KEY-----} block
 * (SubjectPublicKeyInfo), RSA or EC. What people give by mistake (a private key, a PKCS#1 key, a certificate)
 * is refused with the openssl command that makes the right file.
 */
final class PemPublicKeyFile {
    private static final String WHAT = "JWT public key file";
    private static final Pattern PEM_BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    private PemPublicKeyFile() {
    }

    static JwtKey read(Path file) {
        return JwtKey.ofPublicKey(WHAT + " " + file, null, publicKey(file));
    }

    private static PublicKey publicKey(Path file) {
        Matcher m = PEM_BLOCK.matcher(KeyFile.read(file, WHAT));
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
                throw new IllegalArgumentException(WHAT + " " + file + " holds a private key (" + label
                        + "); give only the public key, e.g. `openssl pkey -in KEY -pubout`");
            }
        }
        if (bodies.isEmpty()) {
            String hint = labels.contains("RSA PUBLIC KEY")
                    ? "; it is a PKCS#1 key, convert it with `openssl rsa -RSAPublicKey_in -in FILE -pubout`"
                    : labels.contains("CERTIFICATE")
                    ? "; it is a certificate, extract the key with `openssl x509 -in FILE -pubkey -noout`"
                    : "";
            throw new IllegalArgumentException(WHAT + " " + file
                    + " holds no PEM public key (expected a -----BEGIN PUBLIC KEY----- block)" + hint);
        }
        if (bodies.size() > 1) {
            throw new IllegalArgumentException(WHAT + " " + file + " holds " + bodies.size()
                    + " public keys; give exactly one (or use a JWKS file to have several)");
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(bodies.get(0).replaceAll("\\s+", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(WHAT + " " + file + ": the PUBLIC KEY block is not valid base64", e);
        }
        X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
        for (String type : List.of("RSA", "EC")) {
            try {
                return KeyFactory.getInstance(type).generatePublic(spec);
            } catch (GeneralSecurityException | RuntimeException e) {
                // try the next type
            }
        }
        throw new IllegalArgumentException(WHAT + " " + file
                + ": the PUBLIC KEY block is not an RSA or EC public key (only RS256 and ES256 are supported)");
    }
}
