package dev.herald.bus.redis;

import dev.herald.core.event.EventType;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an envelope's header from its bytes, in exactly the layout {@link BusEnvelope#encode} writes, up to
 * {@code "d"}: a node reads the header of every other node's event, and most go no further (docs/cluster.md §4.6),
 * so neither the envelope's text nor a JSON parser is made for them. Anything else (a field out of place, an escape
 * or a byte beyond ASCII in a string, a number with a sign) is null, and left to {@link BusEnvelope#header(String)}.
 */
final class HeaderReader {
    private final Buffer bytes;
    private int at;

    private HeaderReader(Buffer bytes) {
        this.bytes = bytes;
    }

    static BusEnvelope.Header read(Buffer envelope) {
        HeaderReader r = new HeaderReader(envelope);
        String node = r.field("{\"n\":") ? r.string() : null;
        long sequence = node != null && r.field(",\"s\":") ? r.number() : -1;
        long publishedAt = sequence >= 0 && r.field(",\"ts\":") ? r.number() : -1;
        String type = publishedAt >= 0 && r.field(",\"t\":") ? r.string() : null;
        String job = type != null && r.field(",\"j\":") ? r.string() : null;
        String project = job != null && r.field(",\"pr\":") ? r.string() : null;
        List<String> ancestors = project != null && r.field(",\"a\":") ? r.strings() : null;
        boolean rest = ancestors != null && r.field(",\"v\":") && r.number() >= 0 && r.field(",\"p\":")
                && r.number() >= 0 && r.field(",\"d\":");
        EventType t = rest ? EventType.fromWire(type).orElse(null) : null;
        return t == null || node.isEmpty() ? null
                : new BusEnvelope.Header(node, sequence, publishedAt, t, job, project, ancestors);
    }

    /** Whether the bytes at the cursor are {@code text} (ASCII); moves past them if so. */
    private boolean field(String text) {
        if (bytes.length() - at < text.length()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (bytes.getByte(at + i) != text.charAt(i)) {
                return false;
            }
        }
        at += text.length();
        return true;
    }

    /** A quoted string of printable ASCII without escapes; null for anything else. */
    private String string() {
        if (at >= bytes.length() || bytes.getByte(at) != '"') {
            return null;
        }
        int start = ++at;
        for (; at < bytes.length(); at++) {
            byte c = bytes.getByte(at);
            if (c == '"') {
                return bytes.getString(start, at++, StandardCharsets.ISO_8859_1.name());
            }
            if (c < 0x20 || c == '\\') { // bytes beyond ASCII are negative
                return null;
            }
        }
        return null;
    }

    /** A whole number of 1-18 digits; -1 for anything else. */
    private long number() {
        int start = at;
        long value = 0;
        for (; at < bytes.length() && at - start < 18; at++) {
            byte c = bytes.getByte(at);
            if (c < '0' || c > '9') {
                break;
            }
            value = value * 10 + (c - '0');
        }
        boolean more = at < bytes.length() && bytes.getByte(at) >= '0' && bytes.getByte(at) <= '9';
        boolean leadingZero = at - start > 1 && bytes.getByte(start) == '0'; // not JSON
        return at == start || more || leadingZero ? -1 : value;
    }

    /** A list of such strings; null for anything else. */
    private List<String> strings() {
        if (!field("[")) {
            return null;
        }
        List<String> values = new ArrayList<>(2);
        if (field("]")) {
            return values;
        }
        do {
            String value = string();
            if (value == null) {
                return null;
            }
            values.add(value);
        } while (field(","));
        return field("]") ? values : null;
    }
}
