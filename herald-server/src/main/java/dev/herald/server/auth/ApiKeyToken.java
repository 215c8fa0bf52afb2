package dev.herald.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.IntPredicate;

/**
 * An API key as a client presents it: {@code hk_<id>_<secret>}, the id 12
 * lowercase base-32 characters, the secret 32 random bytes in unpadded base64url.
 * The secret (which may itself contain {@code _}) is read by position, never by
 * splitting. {@link #toString} leaves the secret out so no log can show it.
 */
record ApiKeyToken(String id, String secret) {
    static final String PREFIX = ApiKeys.PREFIX;
    static final int ID_LENGTH = 12;
    static final int SECRET_LENGTH = 43;
    private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
    private static final int SECRET_BYTES = 32;
    private static final int LENGTH = PREFIX.length() + ID_LENGTH + 1 + SECRET_LENGTH;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final MessageDigest SHA_256 = sha256();

    static ApiKeyToken generate() {
        char[] id = new char[ID_LENGTH];
        for (int i = 0; i < id.length; i++) {
            id[i] = ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length()));
        }
        byte[] secret = new byte[SECRET_BYTES];
        RANDOM.nextBytes(secret);
        return new ApiKeyToken(new String(id), Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    /** The token in this text, or empty if the text could not be one; looks nothing up. */
    static Optional<ApiKeyToken> parse(String text) {
        if (text == null || text.length() != LENGTH || !text.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int separator = PREFIX.length() + ID_LENGTH;
        String id = text.substring(PREFIX.length(), separator);
        String secret = text.substring(separator + 1);
        if (text.charAt(separator) != '_' || !all(id, c -> ID_ALPHABET.indexOf(c) >= 0)
                || !all(secret, ApiKeyToken::isBase64Url)) {
            return Optional.empty();
        }
        return Optional.of(new ApiKeyToken(id, secret));
    }

    /** A plain loop: every authenticated request checks a token, and a stream per check costs more than the check. */
    private static boolean all(String s, IntPredicate ok) {
        for (int i = 0; i < s.length(); i++) {
            if (!ok.test(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    String text() {
        return PREFIX + id + "_" + secret;
    }

    /** SHA-256 of the secret as written; a stored key keeps only this, as hex. */
    byte[] digest() {
        try {
            // a copy of a ready digest: looking the algorithm up among the providers costs more than hashing
            return ((MessageDigest) SHA_256.clone()).digest(secret.getBytes(StandardCharsets.US_ASCII));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 can be copied", e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    String digestHex() {
        return HexFormat.of().formatHex(digest());
    }

    private static boolean isBase64Url(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    @Override
    public String toString() {
        return PREFIX + id + "_***";
    }
}
