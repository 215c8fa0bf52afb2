package dev.herald.server.edge;

/** Text that came from a client: whether it is Unicode, and how to echo it safely in an error. */
public final class ClientText {
    private static final int ECHO_CHARS = 100;

    private ClientText() {
    }

    /** Whether every surrogate is part of a pair (JSON's {@code \ud800} escape can produce one alone). */
    public static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Client text made safe to echo in an error: at most 100 characters (or {@code maxChars}), control
     * characters and unpaired surrogates replaced by U+FFFD.
     */
    public static String printable(String s) {
        return printable(s, ECHO_CHARS);
    }

    public static String printable(String s, int maxChars) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), maxChars + 1));
        for (int i = 0; i < s.length() && b.length() < maxChars; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(c).append(s.charAt(++i));
            } else if (Character.isSurrogate(c) || Character.isISOControl(c)) {
                b.append('\uFFFD');
            } else {
                b.append(c);
            }
        }
        return b.length() < s.length() && b.length() >= maxChars ? b.append('…').toString() : b.toString();
    }
}
