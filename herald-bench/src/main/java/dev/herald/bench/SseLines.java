package dev.herald.bench;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

/**
 * A minimal Server-Sent Events reader for benchmarks: splits the bytes into lines
 * (LF or CRLF), gathers {@code event} and {@code data} fields, and hands each event to
 * the listener when a blank line ends it. Comments ({@code :}) and other fields are
 * skipped. One instance per stream, used from one thread.
 */
public final class SseLines {
    private final BiConsumer<String, String> onEvent;
    private Buffer pending = Buffer.buffer();
    private String type;
    private StringBuilder data;

    /** @param onEvent told (event type, data) of every complete event */
    public SseLines(BiConsumer<String, String> onEvent) {
        this.onEvent = onEvent;
    }

    public void feed(Buffer chunk) {
        pending.appendBuffer(chunk);
        byte[] bytes = pending.getBytes();
        int lineStart = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                int end = i > lineStart && bytes[i - 1] == '\r' ? i - 1 : i;
                line(new String(bytes, lineStart, end - lineStart, StandardCharsets.UTF_8));
                lineStart = i + 1;
            }
        }
        pending = Buffer.buffer().appendBytes(bytes, lineStart, bytes.length - lineStart);
    }

    private void line(String line) {
        if (line.isEmpty()) {
            if (data != null) {
                onEvent.accept(type == null ? "message" : type, data.toString());
            }
            type = null;
            data = null;
        } else if (line.startsWith("event:")) {
            type = value(line, 6);
        } else if (line.startsWith("data:")) {
            data = data == null ? new StringBuilder() : data.append('\n');
            data.append(value(line, 5));
        }
    }

    private static String value(String line, int from) {
        return line.startsWith(" ", from) ? line.substring(from + 1) : line.substring(from);
    }
}
