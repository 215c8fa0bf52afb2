package dev.herald.core.event;

import java.util.Optional;

/**
 * The opaque id of an SSE event (and the WebSocket {@code since}): the store's
 * epoch and a position in its retained event log. The epoch tells a cursor from
 * another store (or a wiped one) apart, so it is never misread as a position here.
 */
public record StreamCursor(String epoch, long position) {

    public String encode() {
        return epoch + "-" + Long.toString(position, 36);
    }

    /** Empty for anything that is not a well-formed cursor. */
    public static Optional<StreamCursor> decode(String text) {
        if (text == null) {
            return Optional.empty();
        }
        int dash = text.lastIndexOf('-');
        if (dash <= 0 || dash == text.length() - 1 || text.length() > 64) {
            return Optional.empty();
        }
        String epoch = text.substring(0, dash);
        for (int i = 0; i < epoch.length(); i++) {
            char c = epoch.charAt(i);
            if (!(Character.isLetterOrDigit(c) && c < 128)) {
                return Optional.empty();
            }
        }
        String digits = text.substring(dash + 1);
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'))) {
                return Optional.empty();
            }
        }
        try {
            long pos = Long.parseLong(digits, 36);
            return pos < 0 ? Optional.empty() : Optional.of(new StreamCursor(epoch, pos));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
