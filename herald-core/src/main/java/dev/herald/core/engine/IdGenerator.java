package dev.herald.core.engine;

import java.security.SecureRandom;

/** Job ids: "j_" and 26 Crockford base-32 characters, 130 random bits, so ids cannot be guessed. */
public final class IdGenerator {
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private IdGenerator() {
    }

    public static String newJobId() {
        byte[] bytes = new byte[17];
        RANDOM.nextBytes(bytes);
        char[] out = new char[28];
        out[0] = 'j';
        out[1] = '_';
        int bit = 0;
        for (int i = 0; i < 26; i++) {
            int value = 0;
            for (int k = 0; k < 5; k++, bit++) {
                value = (value << 1) | ((bytes[bit >> 3] >> (7 - (bit & 7))) & 1);
            }
            out[i + 2] = ALPHABET[value];
        }
        return new String(out);
    }

    /** True for anything this generator could have produced, so bad ids are refused before any lookup. */
    public static boolean looksLikeJobId(String text) {
        if (text == null || text.length() != 28 || !text.startsWith("j_")) {
            return false;
        }
        for (int i = 2; i < 28; i++) {
            char c = text.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z' && c != 'I' && c != 'L' && c != 'O' && c != 'U'))) {
                return false;
            }
        }
        return true;
    }
}
