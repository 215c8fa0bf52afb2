package dev.herald.bus.redis;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What one {@code PUBLISH} carries: a single envelope as it is, or several envelopes of one node behind a head that
 * gives each one's length in bytes, {@code {"n":"NODE","b":[L1,L2,…]}} then the envelopes back to back
 * (docs/cluster.md §4.6). Redis, the publishing client and every subscriber pay per message, so a node's events
 * queued together go out together; the head starts as each of the node's envelopes does, so a node still tells its
 * own messages from their first bytes, and a receiver splits the rest without reading any envelope.
 */
final class BusMessage {
    private static final byte[] NODE_FIELD = "{\"n\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LENGTHS_FIELD = "\",\"b\":[".getBytes(StandardCharsets.US_ASCII);

    private BusMessage() {
    }

    /** One message for the envelopes of {@code node}, in their order. */
    static Buffer pack(String node, List<String> envelopes) {
        if (envelopes.size() == 1) {
            return Buffer.buffer(envelopes.get(0));
        }
        List<byte[]> bytes = new ArrayList<>(envelopes.size());
        StringBuilder head = new StringBuilder(16 + node.length() + envelopes.size() * 5)
                .append("{\"n\":\"").append(node).append("\",\"b\":[");
        int size = 0;
        for (String envelope : envelopes) {
            byte[] b = envelope.getBytes(StandardCharsets.UTF_8);
            head.append(bytes.isEmpty() ? "" : ",").append(b.length);
            bytes.add(b);
            size += b.length;
        }
        head.append("]}");
        Buffer message = Buffer.buffer(head.length() + size).appendString(head.toString());
        for (byte[] b : bytes) {
            message.appendBytes(b);
        }
        return message;
    }

    /**
     * The envelopes a message holds, as views of its bytes: those behind a head, or the whole message when it has
     * none (a single envelope, or anything else, which the envelope's reading then refuses). Null for a head whose
     * lengths do not add up to what follows it: a stranger's message.
     */
    static List<Buffer> unpack(Buffer message) {
        int at = lengthsStart(message);
        if (at < 0) {
            return List.of(message);
        }
        List<Integer> lengths = new ArrayList<>();
        int length = -1;
        for (; at < message.length(); at++) {
            byte c = message.getByte(at);
            if (c >= '0' && c <= '9' && length < 100_000_000) {
                length = (length < 0 ? 0 : length * 10) + (c - '0');
            } else if ((c == ',' || c == ']') && length >= 0) {
                lengths.add(length);
                length = -1;
                if (c == ']') {
                    break;
                }
            } else {
                return null;
            }
        }
        at += 2; // past "]}"
        if (at > message.length() || message.getByte(at - 1) != '}') {
            return null;
        }
        List<Buffer> envelopes = new ArrayList<>(lengths.size());
        for (int l : lengths) {
            if (l > message.length() - at) {
                return null;
            }
            envelopes.add(message.slice(at, at + l));
            at += l;
        }
        return at == message.length() ? envelopes : null;
    }

    /** Where the lengths of a head begin; -1 when the message starts otherwise. */
    private static int lengthsStart(Buffer message) {
        if (!startsWith(message, 0, NODE_FIELD)) {
            return -1;
        }
        int at = NODE_FIELD.length;
        // a node id is 1-64 of [A-Za-z0-9._-] (RedisBusOptions): no quote or escape inside
        while (at < message.length() && at <= NODE_FIELD.length + 64 && message.getByte(at) != '"') {
            at++;
        }
        return at > NODE_FIELD.length && startsWith(message, at, LENGTHS_FIELD) ? at + LENGTHS_FIELD.length : -1;
    }

    private static boolean startsWith(Buffer message, int at, byte[] prefix) {
        if (message.length() - at < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (message.getByte(at + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
