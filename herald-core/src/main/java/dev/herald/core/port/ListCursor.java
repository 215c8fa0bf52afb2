package dev.herald.core.port;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** Where a page of a newest-first listing ended: the last job's creation time and id. */
public record ListCursor(long createdAtMillis, String jobId) {

    public String encode() {
        String plain = createdAtMillis + ":" + jobId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    public static Optional<ListCursor> decode(String text) {
        if (text == null || text.isEmpty() || text.length() > 200) {
            return Optional.empty();
        }
        try {
            String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            int colon = plain.indexOf(':');
            if (colon <= 0) {
                return Optional.empty();
            }
            long time = Long.parseLong(plain.substring(0, colon));
            String id = plain.substring(colon + 1);
            if (time < 0 || id.isEmpty() || id.chars().anyMatch(Character::isISOControl)) {
                return Optional.empty();
            }
            return Optional.of(new ListCursor(time, id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
