package dev.herald.server.stream;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * One SSE response as a gzip stream (RFC 1952), every write ending on a sync flush so each event can be
 * decoded as soon as it arrives. A stream holds no deflater between writes, so it costs a few bytes, not
 * zlib's quarter megabyte: each write is deflated by its thread's deflater, primed with the frame written
 * before it, which is exactly the end of what the reader has inflated. Consecutive progress events repeat
 * most of each other, so an event shrinks to what changed. Readers of the same job that got the same frame
 * before share the result ({@link EncodedEvent#gzippedAfter}). Used on the response's context only.
 */
final class SseGzip {
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, (byte) 0xff};
    private static final int WINDOW = 32 * 1024;
    private static final ThreadLocal<Deflater> DEFLATERS = ThreadLocal.withInitial(() -> new Deflater(6, true));
    private static final ThreadLocal<byte[]> OUT = ThreadLocal.withInitial(() -> new byte[16 * 1024]);

    private final CRC32 crc = new CRC32();
    private long size;
    /** The end of what was written (the last event, and any comment after it): the next write's dictionary. */
    private Buffer previous = Buffer.buffer();

    /** Whether an {@code Accept-Encoding} header accepts gzip (RFC 9110 §12.5.3: named, or {@code *}, with q above 0). */
    static boolean accepted(String header) {
        if (header == null) {
            return false;
        }
        double named = -1;
        double any = -1;
        for (String item : header.split(",")) {
            String[] parts = item.split(";");
            String coding = parts[0].trim().toLowerCase(Locale.ROOT);
            if (coding.equals("gzip") || coding.equals("x-gzip")) {
                named = Math.max(named, weight(parts));
            } else if (coding.equals("*")) {
                any = weight(parts);
            }
        }
        return (named >= 0 ? named : any) > 0;
    }

    private static double weight(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            if (p.startsWith("q=") || p.startsWith("Q=")) {
                try {
                    return Double.parseDouble(p.substring(2).trim());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }

    /** The gzip header and the first text. */
    Buffer start(Buffer text) {
        return Buffer.buffer(HEADER).appendBuffer(write(text));
    }

    /** An event's frame, shared by the readers that had the same frame before it. */
    Buffer event(EncodedEvent event) {
        Buffer frame = event.sseFrame();
        Buffer out = event.gzippedAfter(previous, () -> deflate(previous, frame, false));
        account(frame);
        previous = frame;
        return out;
    }

    /** A text other than an event (a comment): the next event is still deflated against the one before. */
    Buffer write(Buffer text) {
        Buffer out = deflate(previous, text, false);
        account(text);
        previous = tail(previous, text);
        return out;
    }

    /** The last text, the end of the deflate stream, and the gzip trailer. */
    Buffer end(Buffer text) {
        Buffer out = deflate(previous, text, true);
        account(text);
        return out.appendIntLE((int) crc.getValue()).appendIntLE((int) size);
    }

    /**
     * Adds the text to the stream's CRC and length. Read in place, not copied: a frame is accounted once per
     * reader, and a copy of each was a third of all a fan-out to thousands of readers allocated (BENCHMARKS.md).
     */
    private void account(Buffer text) {
        crc.update(((BufferInternal) text).getByteBuf().nioBuffer());
        size += text.length();
    }

    /** The end of what the reader has inflated once {@code text} follows {@code before}: deflate's window. */
    private static Buffer tail(Buffer before, Buffer text) {
        int keep = Math.min(before.length(), WINDOW - text.length());
        if (keep <= 0) {
            return text;
        }
        return Buffer.buffer(keep + text.length()).appendBuffer(before, before.length() - keep, keep)
                .appendBuffer(text);
    }

    private static Buffer deflate(Buffer dictionary, Buffer text, boolean last) {
        Deflater d = DEFLATERS.get();
        byte[] out = OUT.get();
        d.reset();
        if (dictionary.length() > 0) {
            d.setDictionary(dictionary.getBytes());
        }
        d.setInput(text.getBytes());
        if (last) {
            d.finish();
        }
        Buffer result = Buffer.buffer(text.length() / 2 + 16);
        int n;
        do {
            n = d.deflate(out, 0, out.length, last ? Deflater.NO_FLUSH : Deflater.SYNC_FLUSH);
            result.appendBytes(out, 0, n);
        } while (last ? !d.finished() : n == out.length);
        return result;
    }
}
