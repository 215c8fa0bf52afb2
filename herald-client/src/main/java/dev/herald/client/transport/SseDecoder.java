package dev.herald.client.transport;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Server-Sent Events read from bytes as they arrive, after the WHATWG rules: lines end with LF, CRLF or CR (a CRLF
 * split between two reads is one end); {@code field: value} loses one space after the colon; {@code data} lines
 * join with newlines; an empty line dispatches; the last {@code id} holds until another replaces it; a line
 * starting with a colon is a comment. Lines are cut at line ends before they are decoded, so a character split
 * between two reads is whole. Not thread-safe: one stream feeds it.
 */
final class SseDecoder {

    interface Handler {
        /** A dispatched event: the last id seen so far ("" for none), its type ("message" by default), its data. */
        void event(String lastEventId, String type, String data);

        /** A line that is no part of an event: a comment (the server's keep-alive) or a {@code retry}. */
        void signOfLife();
    }

    private final Handler handler;
    private byte[] line = new byte[256];
    private int length;
    private boolean afterCr;
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;
    private String type;
    private String lastEventId = "";

    SseDecoder(Handler handler) {
        this.handler = handler;
    }

    void feed(ByteBuffer bytes) {
        while (bytes.hasRemaining()) {
            byte b = bytes.get();
            if (b == '\n' && afterCr) {
                afterCr = false;
                continue;
            }
            afterCr = b == '\r';
            if (b == '\n' || b == '\r') {
                String text = new String(line, 0, length, StandardCharsets.UTF_8);
                length = 0;
                line(text);
            } else {
                if (length == line.length) {
                    line = Arrays.copyOf(line, length * 2);
                }
                line[length++] = b;
            }
        }
    }

    private void line(String text) {
        if (text.isEmpty()) {
            dispatch();
            return;
        }
        if (text.charAt(0) == ':') {
            handler.signOfLife();
            return;
        }
        int colon = text.indexOf(':');
        String field = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? "" : text.substring(colon + (text.startsWith(" ", colon + 1) ? 2 : 1));
        switch (field) {
            case "data" -> {
                if (hasData) {
                    data.append('\n');
                }
                data.append(value);
                hasData = true;
            }
            case "event" -> type = value;
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    lastEventId = value;
                }
            }
            default -> {
                // retry: the client keeps its own backoff; unknown fields are ignored, as the rules say
                handler.signOfLife();
            }
        }
    }

    private void dispatch() {
        if (hasData) {
            handler.event(lastEventId, type == null || type.isEmpty() ? "message" : type, data.toString());
        }
        data.setLength(0);
        hasData = false;
        type = null;
    }
}
