package dev.herald.core.model;

/**
 * A JSON value kept as text. The core never looks inside metadata, results or log
 * fields; the edge validated the text before it got here.
 */
public record RawJson(String text) {
    public RawJson {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("raw JSON text is required");
        }
    }

    /** Size in bytes when sent as UTF-8, for limits. */
    public int utf8Length() {
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    @Override
    public String toString() {
        return text;
    }
}
